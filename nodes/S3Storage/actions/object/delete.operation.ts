import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getBucketParam, getKeyParam, getOptions } from '../../../shared/helpers/params';
import { bucketLocator, keyLocator, optionsCollection, showFor, versionIdOption } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'delete', [bucketLocator(), keyLocator('key', 'Key', 'The key of the object to delete')]),
	optionsCollection('object', 'delete', [versionIdOption]),
];

/**
 * Delete: removes one object (S3 API: DeleteObject; with a version ID, that version). As in
 * S3, deleting a key that does not exist succeeds.
 * Output: { bucket, key, deleted: true, versionId?, deleteMarker? }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = getKeyParam(this, i);
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const options = getOptions(this, i);
	const out = await ctx.client.send(
		new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: (options.versionId as string) || undefined }),
	);
	const json: IDataObject = { bucket, key, deleted: true };
	if (out.VersionId) json.versionId = out.VersionId;
	if (out.DeleteMarker) json.deleteMarker = true;
	return [{ json }];
}
