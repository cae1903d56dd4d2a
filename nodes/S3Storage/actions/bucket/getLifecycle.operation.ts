import { GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { fromS3Rule } from '../../../shared/helpers/lifecycle';
import { s3ErrorCode } from '../../../shared/transport/errors';
import { getBucketParam } from '../../../shared/helpers/params';
import { bucketLocator, optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'getLifecycle', [bucketLocator('bucketName', 'Bucket Name', 'The bucket whose lifecycle rules to read')]),
	optionsCollection('bucket', 'getLifecycle', []),
];

/**
 * Get Lifecycle: the bucket's lifecycle rules (S3 API: GetBucketLifecycleConfiguration).
 * A bucket without rules (NoSuchLifecycleConfiguration) gives `rules: []`, not an error.
 * Output: { name, rules: [{ id, prefix, expireAfterDays?, abortIncompleteUploadsAfterDays?, enabled, otherSettings? }] }
 * (`otherSettings: true` marks a rule with transitions, tags or other settings this shape does
 * not show; Set Lifecycle with these rules would drop them).
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const name = getBucketParam(this, ctx.itemIndex);
	ctx.target.bucket = name;
	try {
		const out = await ctx.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }), { abortSignal: ctx.abortSignal });
		return [{ json: { name, rules: (out.Rules ?? []).map((r) => ({ ...fromS3Rule(r) })) } }];
	} catch (error) {
		if (s3ErrorCode(error) === 'NoSuchLifecycleConfiguration') return [{ json: { name, rules: [] } }];
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError turns it into a NodeApiError with the S3 code, HTTP status and endpoint (it needs the raw error for that)
		throw error;
	}
}
