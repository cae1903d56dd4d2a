import { GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { s3ErrorCode, s3HttpStatus } from '../../../shared/transport/errors';
import { getBucketParam } from '../../../shared/helpers/params';
import { bucketLocator, optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'get', [bucketLocator('bucketName', 'Bucket Name', 'The bucket to look up')]),
	optionsCollection('bucket', 'get', []),
];

/**
 * Get: whether a bucket exists and its region (S3 API: HeadBucket, then GetBucketLocation
 * when the server does not send x-amz-bucket-region). A missing bucket gives
 * `exists: false`, not an error; a bucket that exists but denies access gives
 * `exists: true, accessible: false`.
 * Output: { name, exists, region, accessible }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const name = getBucketParam(this, ctx.itemIndex);
	ctx.target.bucket = name;
	const json: IDataObject = { name, exists: true, region: null, accessible: true };
	try {
		const head = await ctx.client.send(new HeadBucketCommand({ Bucket: name }), { abortSignal: ctx.abortSignal });
		json.region = head.BucketRegion ?? null;
	} catch (error) {
		const status = s3HttpStatus(error);
		const code = s3ErrorCode(error);
		if (status === 404 || code === 'NotFound' || code === 'NoSuchBucket') {
			return [{ json: { name, exists: false, region: null, accessible: false } }];
		}
		if (status === 403) {
			const region = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
			return [{ json: { name, exists: true, region: region ?? null, accessible: false } }];
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError turns it into a NodeApiError with the S3 code, HTTP status and endpoint (it needs the raw error for that)
		throw error;
	}
	if (!json.region) {
		const location = await ctx.client.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: ctx.abortSignal });
		// An empty LocationConstraint means us-east-1 on AWS; S3-compatible servers may name their zone group.
		json.region = location.LocationConstraint || (await ctx.client.config.region());
	}
	return [{ json }];
}
