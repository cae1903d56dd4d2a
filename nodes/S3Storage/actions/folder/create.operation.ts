import { PutObjectCommand } from '@aws-sdk/client-s3';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { getBucketParam } from '../../../shared/helpers/params';
import { normalizeFolderKey, normalizeEtag, validateKey } from '../../../shared/helpers/validation';
import { bucketLocator, optionsCollection, showFor, folderKeyField } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('folder', 'create', [
		bucketLocator(),
		folderKeyField('The folder to create; a trailing "/" is added when missing'),
	]),
	optionsCollection('folder', 'create', []),
];

/**
 * Create: makes a folder marker, an empty object whose key ends with "/" (S3 API: PutObject),
 * as the S3 consoles do. Output: { bucket, key (ends with "/"), etag }
 * @throws NodeOperationError for an empty folder key
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = normalizeFolderKey(String(this.getNodeParameter('folderKey', i, '')));
	if (!key) {
		throw new NodeOperationError(this.getNode(), 'Folder Key is empty: give the folder to create, e.g. "reports/2024/"', { itemIndex: i });
	}
	validateKey(this, key, i, 'Folder Key');
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const out = await ctx.client.send(
		new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.alloc(0), ContentType: 'application/x-directory' }),
		{ abortSignal: ctx.abortSignal },
	);
	return [{ json: { bucket, key, etag: normalizeEtag(out.ETag) ?? null } }];
}
