import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getBucketParam, getKeyParam, getOptions } from '../../../shared/helpers/params';
import { normalizeEtag } from '../../../shared/helpers/validation';
import { bucketLocator, keyLocator, optionsCollection, showFor, versionIdOption } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'get', [bucketLocator(), keyLocator('key', 'Key', 'The key of the object whose metadata to get')]),
	optionsCollection('object', 'get', [versionIdOption]),
];

/**
 * Get: an object's metadata without its content (S3 API: HeadObject).
 * Output: { bucket, key, size (bytes), contentType, etag, lastModified, metadata, storageClass?,
 * versionId?, cacheControl?, contentDisposition?, contentEncoding?, serverSideEncryption? }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = getKeyParam(this, i);
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const options = getOptions(this, i);
	const head = await ctx.client.send(
		new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: (options.versionId as string) || undefined }),
	);
	const json: IDataObject = {
		bucket,
		key,
		size: head.ContentLength ?? null,
		contentType: head.ContentType ?? null,
		etag: normalizeEtag(head.ETag) ?? null,
		lastModified: head.LastModified ? head.LastModified.toISOString() : null,
		metadata: head.Metadata ?? {},
		storageClass: head.StorageClass ?? 'STANDARD',
	};
	const extra: Record<string, unknown> = {
		versionId: head.VersionId,
		cacheControl: head.CacheControl,
		contentDisposition: head.ContentDisposition,
		contentEncoding: head.ContentEncoding,
		serverSideEncryption: head.ServerSideEncryption,
		expiration: head.Expiration,
		tagCount: head.TagCount,
	};
	for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') json[k] = v as IDataObject[string];
	return [{ json }];
}
