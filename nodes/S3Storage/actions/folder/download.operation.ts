import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { fileNameFromKey, storeObjectBody } from '../../../shared/helpers/binary';
import { forEachPaged } from '../../../shared/helpers/concurrency';
import { compileKeyGlob, type KeyMatcher } from '../../../shared/helpers/glob';
import { readLimit } from '../../../shared/helpers/limits';
import { listPages } from '../../../shared/helpers/listing';
import { getBucketParam, getOptions } from '../../../shared/helpers/params';
import { normalizeEtag } from '../../../shared/helpers/validation';
import { keyPatternOption } from '../../../shared/descriptions';
import { bucketLocator, optionsCollection, returnAllAndLimit, showFor, folderKeyField } from '../common.descriptions';
import type { OperationContext } from '../types';
import { objectsInFlightOption, readFolderKey, readObjectsInFlight } from './copy.operation';

/**
 * Default objects downloaded at the same time by Folder → Download: 16, the node's default item
 * Concurrency (measured for small objects, common.descriptions.ts). Not swept separately yet:
 * bench/folders.js times Folder Download of 1,000 × 64 KiB at this default against aws s3 cp.
 */
export const DEFAULT_DOWNLOADS_IN_FLIGHT = 16;

export const description: INodeProperties[] = [
	...showFor('folder', 'download', [
		bucketLocator(),
		folderKeyField('The folder to download: every object under it, in subfolders too, one item each. A trailing "/" is added when missing; "/" alone: every object in the bucket.'),
		...returnAllAndLimit,
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put each file in',
		},
	]),
	optionsCollection('folder', 'download', [
		keyPatternOption,
		objectsInFlightOption(DEFAULT_DOWNLOADS_IN_FLIGHT, 'downloaded'),
	]),
];

/**
 * Folder → Download: every object under the folder key (optionally only keys matching
 * `keyPattern`, see {@link compileKeyGlob}), one output item each, in key order (S3 API:
 * ListObjectsV2 page by page, GetObject per object with `objectsInFlight` at once). Each body is
 * streamed into n8n's binary data (checked against its Content-Length), never held whole here.
 * Folder markers (keys ending in "/") are skipped. Return All / Limit bound the objects returned.
 *
 * Output per object: { bucket, key, size (bytes), contentType, etag, lastModified } and the file
 * in binary property `binaryPropertyName`, named after the key's last segment.
 * @throws NodeOperationError for an empty folder key or field name, or a bad Key Pattern; the
 *   SDK's error when a list or download fails (the item fails: no partial folder is returned)
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const prefix = readFolderKey(this, i, 'folderKey', 'Folder Key', 'reports/2024/');
	const limit = readLimit(this, i) ?? Infinity;
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
	if (!property) {
		throw new NodeOperationError(this.getNode(), 'Put Output File in Field is empty: give a binary property name such as "data"', { itemIndex: i });
	}
	const options = getOptions(this, i);
	const inFlight = readObjectsInFlight(this, i, options, DEFAULT_DOWNLOADS_IN_FLIGHT);
	let matches: KeyMatcher;
	try {
		matches = compileKeyGlob(options.keyPattern as string | undefined);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Key Pattern "${String(options.keyPattern)}" is not a valid glob (${(error as Error).message})`, {
			itemIndex: i,
		});
	}
	ctx.target.bucket = bucket;

	// only keys that will be downloaded reach the pool; the listing stops once `limit` are found
	let found = 0;
	const pages = (async function* () {
		for await (const page of listPages(ctx.client, { bucket, prefix, abortSignal: ctx.abortSignal })) {
			const keys: string[] = [];
			for (const o of page.contents) {
				const key = o.Key ?? '';
				if (!key || key.endsWith('/') || !matches(key)) continue;
				keys.push(key);
				if (++found >= limit) break;
			}
			yield keys;
			if (found >= limit) return;
		}
	})();

	const out: INodeExecutionData[] = [];
	await forEachPaged(pages, inFlight, async (key, index) => {
		let body: Readable | undefined;
		try {
			// without per-call options, so the client's cached middleware serves every request; the
			// client's HTTP handler stops it and its body when the execution is cancelled
			const res = await ctx.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
			body = res.Body as Readable;
			const { binary, contentType } = await storeObjectBody(this.helpers, res, fileNameFromKey(key));
			out[index] = {
				json: {
					bucket,
					key,
					size: res.ContentLength ?? null,
					contentType,
					etag: normalizeEtag(res.ETag) ?? null,
					lastModified: res.LastModified ? res.LastModified.toISOString() : null,
				},
				binary: { [property]: binary },
			};
		} catch (error) {
			// the first failure names its key in the error (the run stops after it)
			ctx.target.key ??= key;
			body?.destroy();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw error goes to router.ts, which maps it (it needs the raw error)
			throw error;
		}
	});
	return out;
}
