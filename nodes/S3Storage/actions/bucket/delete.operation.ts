import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getBucketParam } from '../../../shared/helpers/params';
import { bucketLocator, optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'delete', [bucketLocator('bucketName', 'Bucket Name', 'The bucket to delete; it must be empty')]),
	optionsCollection('bucket', 'delete', []),
];

/**
 * Delete: removes an empty bucket (S3 API: DeleteBucket). A bucket with objects fails with
 * BucketNotEmpty (the message says to empty it first). Output: { name, deleted: true }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const name = getBucketParam(this, ctx.itemIndex);
	ctx.target.bucket = name;
	await ctx.client.send(new DeleteBucketCommand({ Bucket: name }), { abortSignal: ctx.abortSignal });
	return [{ json: { name, deleted: true } }];
}
