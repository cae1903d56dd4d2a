import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { deleteKeys, type DeleteResult } from '../../../shared/helpers/deletion';
import { listPages } from '../../../shared/helpers/listing';
import { getBucketParam } from '../../../shared/helpers/params';
import { normalizeFolderKey } from '../../../shared/helpers/validation';
import { bucketLocator, optionsCollection, showFor, folderKeyField } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('folder', 'delete', [
		bucketLocator(),
		folderKeyField('The folder to delete with everything under it; a trailing "/" is added when missing. "/" alone deletes every object in the bucket.'),
	]),
	optionsCollection('folder', 'delete', []),
];

/**
 * Delete: removes every object whose key starts with the folder key, the marker included
 * (S3 API: ListObjectsV2 page by page, each page deleted with one DeleteObjects of up to 1000
 * keys while the next page is listed, so memory holds two pages of keys plus the output list).
 * Output: { bucket, prefix, deleted: [keys], errors: [{ key, code, message }], requests }
 * @throws NodeOperationError for an empty folder key (use "/" for the whole bucket)
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const raw = String(this.getNodeParameter('folderKey', i, '')).trim();
	if (!raw) {
		throw new NodeOperationError(
			this.getNode(),
			'Folder Key is empty: give the folder to delete, e.g. "reports/2024/" (or "/" to delete every object in the bucket)',
			{ itemIndex: i },
		);
	}
	const prefix = normalizeFolderKey(raw);
	ctx.target.bucket = bucket;
	const result: DeleteResult = { deleted: [], errors: [], requests: 0 };
	let listRequests = 0;
	// listPages sends the request for the next page before handing over this one, so the next
	// page is listed while this one is deleted (its continuation token points past these keys).
	for await (const page of listPages(ctx.client, { bucket, prefix, abortSignal: ctx.abortSignal })) {
		listRequests++;
		const keys = page.contents.map((o) => o.Key ?? '').filter((k) => k !== '');
		if (keys.length) await deleteKeys(ctx.client, bucket, keys, ctx.abortSignal, result);
	}
	return [
		{
			json: {
				bucket,
				prefix,
				deleted: result.deleted,
				errors: result.errors,
				requests: result.requests + listRequests,
			},
		},
	];
}
