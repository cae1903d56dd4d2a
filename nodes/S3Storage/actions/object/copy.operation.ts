import {
	CopyObjectCommand,
	GetObjectTaggingCommand,
	HeadObjectCommand,
	PutObjectTaggingCommand,
	type Tag,
	type CopyObjectCommandInput,
	type CopyObjectCommandOutput,
	type ObjectCannedACL,
	type StorageClass,
} from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { keyValuePairs } from '../../../shared/helpers/keyValues';
import { isCopySourceTooLarge, multipartCopy } from '../../../shared/helpers/multipartCopy';
import { getBucketParam, getKeyParam, getOptions } from '../../../shared/helpers/params';
import { normalizeEtag, validateMetadata } from '../../../shared/helpers/validation';
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
 * The copy of an object over CopyObject's 5 GiB limit (S3 API: HeadObject and
 * GetObjectTagging of the source, then a multipart copy: CreateMultipartUpload, UploadPartCopy,
 * CompleteMultipartUpload; PutObjectTagging when the source has tags). The new object gets
 * what CopyObject would have given it: the source's content type, metadata,
 * cache/disposition/encoding/language headers and tags, or the replacements in `input`. A failure aborts the multipart upload.
 */
export async function copyLarge(ctx: Pick<OperationContext, 'client' | 'abortSignal'>, input: CopyObjectCommandInput, replaceMetadata: boolean, source: { Bucket: string; Key: string; VersionId?: string }): Promise<CopyObjectCommandOutput> {
	const head = await ctx.client.send(new HeadObjectCommand(source), { abortSignal: ctx.abortSignal });
	let tags: Tag[] = [];
	try {
		tags = (await ctx.client.send(new GetObjectTaggingCommand(source), { abortSignal: ctx.abortSignal })).TagSet ?? [];
	} catch {
		// servers without object tagging (or no permission to read it): copy without tags
	}
	const done = await multipartCopy(
		ctx.client,
		{ copySource: input.CopySource as string, size: head.ContentLength ?? 0, etag: head.ETag },
		{
			Bucket: input.Bucket,
			Key: input.Key,
			ACL: input.ACL,
			StorageClass: input.StorageClass,
			ContentType: replaceMetadata ? input.ContentType : head.ContentType,
			Metadata: replaceMetadata ? input.Metadata : head.Metadata,
			CacheControl: replaceMetadata ? input.CacheControl : head.CacheControl,
			ContentDisposition: replaceMetadata ? input.ContentDisposition : head.ContentDisposition,
			ContentEncoding: replaceMetadata ? input.ContentEncoding : head.ContentEncoding,
			ContentLanguage: head.ContentLanguage,
		},
		{ abortSignal: ctx.abortSignal },
	);
	if (tags.length) {
		// set after the copy (not with CreateMultipartUpload, whose tags Ceph RGW ignores)
		await ctx.client.send(
			new PutObjectTaggingCommand({ Bucket: input.Bucket, Key: input.Key, VersionId: done.VersionId, Tagging: { TagSet: tags } }),
			{ abortSignal: ctx.abortSignal },
		);
	}
	return { $metadata: {}, CopyObjectResult: { ETag: done.ETag }, VersionId: done.VersionId };
}

/**
 * Copies one object server-side (S3 API: CopyObject; HeadObject when metadata is replaced
 * without a content type, to keep the source's, and when the server's ETag is missing).
 * A source over CopyObject's 5 GiB limit (the server says so) is copied in parts instead:
 * see {@link copyLarge}.
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
	let out: CopyObjectCommandOutput;
	try {
		out = await ctx.client.send(new CopyObjectCommand(input));
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError maps it (it needs the raw error)
		if (!isCopySourceTooLarge(error)) throw error;
		out = await copyLarge(ctx, input, replaceMetadata, { Bucket: sourceBucket, Key: sourceKey, VersionId: versionId });
	}
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	let etag = normalizeEtag(out.CopyObjectResult?.ETag);
	if (!etag) {
		const head = await ctx.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
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
