import { CopyObjectCommand, HeadObjectCommand, type CopyObjectCommandInput, type ObjectCannedACL, type StorageClass } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { keyValuePairs } from '../../helpers/keyValues';
import { getBucketParam, getKeyParam, getOptions } from '../../helpers/params';
import { normalizeEtag, validateMetadata } from '../../helpers/validation';
import { aclOption, bucketLocator, keyLocator, metadataOption, optionsCollection, showFor, storageClassOption, versionIdOption } from '../common.descriptions';
import type { OperationContext } from '../types';

/** Source and destination parameters, shared by Copy and Move. */
export function copyParameters(operation: 'copy' | 'move'): INodeProperties[] {
	const verb = operation === 'copy' ? 'copy' : 'move';
	return [
		...showFor('object', operation, [
			bucketLocator('sourceBucketName', 'Source Bucket Name', `The bucket to ${verb} from`),
			keyLocator('sourceKey', 'Source Key', `The key of the object to ${verb}`),
			bucketLocator('destinationBucketName', 'Destination Bucket Name', `The bucket to ${verb} to (may be the same)`),
			{
				displayName: 'Destination Key',
				name: 'destinationKey',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'archive/file.txt',
				description: 'The key of the new object; an existing object there is replaced',
			},
		]),
		optionsCollection('object', operation, [
			aclOption,
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				description: 'A new MIME type for the copy (replaces the metadata); empty keeps the source\'s',
			},
			{
				...metadataOption,
				description: 'New user metadata for the copy (replaces the source\'s); when not set, the source\'s metadata is kept',
			},
			storageClassOption,
			versionIdOption,
		]),
	];
}

export const description = copyParameters('copy');

/** Encodes a bucket/key pair for the x-amz-copy-source header (URL-encoded, slashes kept). */
export function copySource(bucket: string, key: string, versionId?: string): string {
	const encodedKey = encodeURIComponent(key).replace(/%2F/g, '/');
	return `${bucket}/${encodedKey}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

/**
 * Copies one object server-side (S3 API: CopyObject; HeadObject when metadata is replaced
 * without a content type, to keep the source's, and when the server's ETag is missing).
 * Objects up to 5 GiB (CopyObject's limit).
 * Output: { sourceBucket, sourceKey, bucket, key, etag, versionId? }
 */
export async function copyObject(this: IExecuteFunctions, ctx: OperationContext): Promise<IDataObject> {
	const i = ctx.itemIndex;
	const sourceBucket = getBucketParam(this, i, 'sourceBucketName', 'Source Bucket Name');
	const sourceKey = getKeyParam(this, i, 'sourceKey', 'Source Key');
	const bucket = getBucketParam(this, i, 'destinationBucketName', 'Destination Bucket Name');
	const key = getKeyParam(this, i, 'destinationKey', 'Destination Key');
	ctx.target.bucket = sourceBucket;
	ctx.target.key = sourceKey;
	const options = getOptions(this, i);
	const versionId = (options.versionId as string) || undefined;
	const replaceMetadata = options.metadata !== undefined || Boolean(options.contentType);
	const input: CopyObjectCommandInput = {
		Bucket: bucket,
		Key: key,
		CopySource: copySource(sourceBucket, sourceKey, versionId),
		ACL: (options.acl as ObjectCannedACL) || undefined,
		StorageClass: (options.storageClass as StorageClass) || undefined,
	};
	if (replaceMetadata) {
		input.MetadataDirective = 'REPLACE';
		input.Metadata = validateMetadata(this, keyValuePairs(options.metadata, 'metadataValues', 'Metadata'), i);
		input.ContentType = (options.contentType as string) || undefined;
		if (!input.ContentType || options.metadata === undefined) {
			const head = await ctx.client.send(
				new HeadObjectCommand({ Bucket: sourceBucket, Key: sourceKey, VersionId: versionId }),
				{ abortSignal: ctx.abortSignal },
			);
			input.ContentType ??= head.ContentType;
			if (options.metadata === undefined) input.Metadata = head.Metadata;
			input.CacheControl = head.CacheControl;
			input.ContentDisposition = head.ContentDisposition;
			input.ContentEncoding = head.ContentEncoding;
		}
	}
	const out = await ctx.client.send(new CopyObjectCommand(input), { abortSignal: ctx.abortSignal });
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	let etag = normalizeEtag(out.CopyObjectResult?.ETag);
	if (!etag) {
		const head = await ctx.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: ctx.abortSignal });
		etag = normalizeEtag(head.ETag);
	}
	const json: IDataObject = { sourceBucket, sourceKey, bucket, key, etag: etag ?? null };
	if (out.VersionId) json.versionId = out.VersionId;
	return json;
}

/** Copy: see {@link copyObject}. */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	return [{ json: await copyObject.call(this, ctx) }];
}
