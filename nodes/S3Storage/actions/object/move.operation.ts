import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { copyObject, copyParameters } from './copy.operation';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = copyParameters('move');

/**
 * Move: copies the object server-side, then deletes the source (S3 API: CopyObject, then
 * DeleteObject). S3 has no rename; if the delete fails, the copy exists and the error says so.
 * Moving an object onto itself is refused. Output as Copy: { sourceBucket, sourceKey, bucket, key, etag }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const json = await copyObject.call(this, ctx);
	if (json.sourceBucket === json.bucket && json.sourceKey === json.key) return [{ json }];
	ctx.target.bucket = json.sourceBucket as string;
	ctx.target.key = json.sourceKey as string;
	const options = this.getNodeParameter('options', ctx.itemIndex, {}) as { versionId?: string };
	await ctx.client.send(
		new DeleteObjectCommand({
			Bucket: json.sourceBucket as string,
			Key: json.sourceKey as string,
			VersionId: options.versionId || undefined,
		}),
	);
	return [{ json }];
}
