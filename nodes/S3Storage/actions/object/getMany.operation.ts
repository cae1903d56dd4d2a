import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { listPages } from '../../../shared/helpers/listing';
import { getBucketParam, getOptions } from '../../../shared/helpers/params';
import { presignObjectUrl } from '../../../shared/helpers/presign';
import { normalizeEtag, validateExpiresIn } from '../../../shared/helpers/validation';
import { bucketLocator, expiresInOption, optionsCollection, returnAllAndLimit, showFor } from '../common.descriptions';
import { readLimit } from '../../../shared/helpers/limits';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'getMany', [
		bucketLocator(),
		{
			displayName: 'Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'reports/2024/',
			description: 'Only keys that start with this; empty lists the whole bucket',
		},
		...returnAllAndLimit,
	]),
	optionsCollection('object', 'getMany', [
		{
			displayName: 'Continuation Token',
			name: 'continuationToken',
			// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- a ListObjectsV2 paging cursor, not a secret: it is copied from a previous listing's output and must stay visible
			type: 'string',
			default: '',
			description: 'Continue a previous listing: the nextContinuationToken of its last item',
		},
		{
			displayName: 'Delimiter',
			name: 'delimiter',
			type: 'string',
			default: '',
			placeholder: '/',
			description:
				'Group keys that contain this after the prefix into common prefixes, which are left out (use Folder → Get Many to list those). "/" lists only the objects directly in the prefix.',
		},
		{ ...expiresInOption, displayOptions: { show: { presignedUrls: [true] } } },
		{
			displayName: 'Page Size',
			name: 'maxKeys',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 1000,
			description: 'Keys per ListObjectsV2 request (MaxKeys, 1–1000)',
		},
		{
			displayName: 'Presigned URLs',
			name: 'presignedUrls',
			type: 'boolean',
			default: false,
			description: 'Whether to add a presigned GET URL (presignedUrl, urlExpiryDate) to each object',
		},
		{
			displayName: 'Start After',
			name: 'startAfter',
			type: 'string',
			default: '',
			description: 'List keys that come after this key (in UTF-8 binary order)',
		},
	]),
];

/**
 * Get Many: lists objects (S3 API: ListObjectsV2, paged with continuation tokens). Each
 * object becomes an item { key, size (bytes), lastModified, etag, storageClass,
 * presignedUrl?, urlExpiryDate? }; when a limit stops a listing that has more, the last item
 * carries `nextContinuationToken`.
 * @throws NodeOperationError for a limit below 1 or an expiry outside 1–604800 s
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	ctx.target.bucket = bucket;
	const prefix = this.getNodeParameter('prefix', i, '') as string;
	const limit = readLimit(this, i);
	const options = getOptions(this, i);
	const expiresIn = options.presignedUrls ? validateExpiresIn(this, options.expiresIn ?? 3600, i, 'Expires In (option)') : 0;

	const items: INodeExecutionData[] = [];
	let next: string | undefined;
	for await (const page of listPages(ctx.client, {
		bucket,
		prefix,
		delimiter: options.delimiter as string,
		startAfter: options.startAfter as string,
		continuationToken: options.continuationToken as string,
		pageSize: options.maxKeys !== undefined ? Number(options.maxKeys) : undefined,
		maxItems: limit,
		abortSignal: ctx.abortSignal,
	})) {
		for (const o of page.contents) {
			if (limit !== undefined && items.length >= limit) break;
			const json: IDataObject = {
				key: o.Key ?? '',
				size: o.Size ?? 0,
				lastModified: o.LastModified ? o.LastModified.toISOString() : null,
				etag: normalizeEtag(o.ETag) ?? null,
				storageClass: o.StorageClass ?? 'STANDARD',
			};
			items.push({ json });
		}
		next = page.nextContinuationToken;
		if (limit !== undefined && items.length >= limit) break;
	}
	if (expiresIn) {
		await Promise.all(
			items.map(async (item) => {
				const signed = await presignObjectUrl(ctx.client, 'GET', bucket, item.json.key as string, expiresIn);
				item.json.presignedUrl = signed.url;
				item.json.urlExpiryDate = signed.expiresAt;
			}),
		);
	}
	if (next && items.length) {
		items[items.length - 1].json.nextContinuationToken = next;
		this.addExecutionHints?.({
			message: `${items.length} objects, truncated at the limit: the bucket has more under this prefix. Turn on Return All, or continue with the nextContinuationToken of the last item.`,
			location: 'outputPane',
		});
	}
	return items;
}
