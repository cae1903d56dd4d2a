import { HeadObjectCommand, type ObjectCannedACL, type PutObjectCommandInput, type ServerSideEncryption, type StorageClass } from '@aws-sdk/client-s3';
import { extension as mimeExtension, lookup as mimeLookup } from 'mime-types';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { decodeBase64, readBinaryInput, type ReadBinaryOptions, type UploadSource } from '../../../shared/helpers/binary';
import { keyValuePairs } from '../../../shared/helpers/keyValues';
import { getBucketParam, getKeyParam, getOptions, nodeParameter } from '../../../shared/helpers/params';
import { presignObjectUrl } from '../../../shared/helpers/presign';
import { normalizeEtag, validateExpiresIn, validateMetadata } from '../../../shared/helpers/validation';
import { aclOption, bucketLocator, expiresInOption, keyLocator, metadataOption, optionsCollection, showFor, storageClassOption } from '../common.descriptions';
import { uploadObject } from '../../../shared/helpers/upload';
import type { OperationContext } from '../types';

const MiB = 1024 * 1024;
/**
 * Default part size: 8 MiB. Measured in n8n (bench/, 1 GiB into Ceph RGW, 2 cores): as fast as
 * 16 MiB or faster, and the upload adds ≈ 60 MiB to n8n's RSS where 16 MiB parts add ≈ 130 MiB
 * (lib-storage holds about Part Size × (Parts in Flight + 2) and copies each part once).
 */
export const DEFAULT_PART_SIZE_MIB = 8;
/** Default parts in flight per upload: 4 (2 was slower, 8 no faster on the measured server). */
export const DEFAULT_QUEUE_SIZE = 4;
/** Read size of a streamed binary (n8n's default is 64 KiB): fewer, larger reads per part. */
export const UPLOAD_READ_CHUNK = 1024 * 1024;

export const description: INodeProperties[] = [
	...showFor('object', 'upload', [
		bucketLocator(),
		keyLocator(
			'key',
			'Key',
			'Where to store the object, e.g. reports/2024/summary.csv. An existing object at this key is replaced. A key ending in "/" (e.g. reports/2024/) is a folder: a binary file is stored in it under its file name.',
		),
		{
			displayName: 'Input Type',
			name: 'inputType',
			type: 'options',
			default: 'binary',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A binary property of the input item' },
				{ name: 'Text', value: 'text', description: 'Text typed here or from an expression, stored as UTF-8' },
				{ name: 'Base64', value: 'base64', description: 'A base64 string, decoded before storing' },
			],
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field containing the file to upload; several names separated by commas, or * for all, upload several files',
			description:
				'With several files (e.g. "attachment_0, attachment_1" or "*"), Key is a folder: each file is stored at Key + its file name (a file without a name gets its field name; a repeated name gets " (2)", " (3)" before its extension)',
			displayOptions: { show: { inputType: ['binary'] } },
		},
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description: 'The text to store, or for Base64 the encoded bytes',
			displayOptions: { show: { inputType: ['text', 'base64'] } },
		},
	]),
	optionsCollection('object', 'upload', [
		aclOption,
		{
			displayName: 'Cache Control',
			name: 'cacheControl',
			type: 'string',
			default: '',
			placeholder: 'max-age=3600',
			description: 'The Cache-Control header stored with the object',
		},
		{
			displayName: 'Content Disposition',
			name: 'contentDisposition',
			type: 'string',
			default: '',
			placeholder: 'attachment; filename="report.pdf"',
			description: 'The Content-Disposition header stored with the object',
		},
		{
			displayName: 'Content Encoding',
			name: 'contentEncoding',
			type: 'string',
			default: '',
			placeholder: 'gzip',
			description: 'The Content-Encoding header stored with the object',
		},
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'text/csv',
			description:
				'MIME type stored with the object. When empty: the binary\'s MIME type, else guessed from the key\'s extension, else application/octet-stream.',
		},
		{ ...expiresInOption, displayOptions: { show: { returnPresignedUrl: [true] } } },
		metadataOption,
		{
			displayName: 'Part Size (MiB)',
			name: 'partSize',
			type: 'number',
			typeOptions: { minValue: 5, maxValue: 5120 },
			default: DEFAULT_PART_SIZE_MIB,
			description:
				'Files larger than this are sent as a multipart upload in parts of this size (5 MiB minimum). Memory used is about Part Size × (Parts in Flight + 2).',
		},
		{
			displayName: 'Parts in Flight',
			name: 'queueSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 32 },
			default: DEFAULT_QUEUE_SIZE,
			description: 'How many parts of one multipart upload are sent at the same time',
		},
		{
			displayName: 'Return Presigned URL',
			name: 'returnPresignedUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to add a presigned GET URL (presignedUrl, urlExpiryDate) for the uploaded object to the output',
		},
		{
			displayName: 'Server-Side Encryption',
			name: 'serverSideEncryption',
			type: 'options',
			default: '',
			options: [
				{ name: 'None (Bucket Default)', value: '' },
				{ name: 'AES256 (SSE-S3)', value: 'AES256' },
				{ name: 'AWS KMS (SSE-KMS)', value: 'aws:kms' },
			],
			description: 'How the provider encrypts the object at rest',
		},
		{
			displayName: 'SSE KMS Key ID',
			name: 'sseKmsKeyId',
			type: 'string',
			default: '',
			description: 'The KMS key for SSE-KMS; empty uses the account\'s default key',
		},
		storageClassOption,
		{
			displayName: 'Tags',
			name: 'tags',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add tag',
			description: 'Object tags (key/value pairs), e.g. for lifecycle rules',
			options: [
				{
					displayName: 'Tag',
					name: 'tag',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
	]),
];

/** The bytes to store, by input type (`binaryProperty`: this property instead of the parameter's). */
async function readSource(ctx: IExecuteFunctions, itemIndex: number, inputType: string, binaryOptions: ReadBinaryOptions, binaryProperty?: string): Promise<UploadSource> {
	if (inputType === 'binary') {
		const property = binaryProperty ?? (nodeParameter(ctx, 'binaryPropertyName', itemIndex, 'data') as string);
		return await readBinaryInput(ctx, itemIndex, property, binaryOptions);
	}
	const content = ctx.getNodeParameter('content', itemIndex, '') as unknown;
	const text = typeof content === 'string' ? content : content === null || content === undefined ? '' : JSON.stringify(content);
	if (inputType === 'text') {
		const body = Buffer.from(text, 'utf8');
		return { body, contentLength: body.length };
	}
	if (inputType === 'base64') {
		const body = decodeBase64(ctx, text, itemIndex);
		return { body, contentLength: body.length };
	}
	throw new NodeOperationError(ctx.getNode(), `Input Type "${inputType}" is not known: use binary, text or base64`, { itemIndex });
}

/** Content type: the option, else the binary's, else guessed from the key, else octet-stream. */
function chooseContentType(option: unknown, source: UploadSource, key: string, inputType: string): string {
	if (typeof option === 'string' && option.trim()) return option.trim();
	if (source.mimeType && source.mimeType !== 'application/octet-stream') return source.mimeType;
	const guessed = mimeLookup(key);
	if (guessed) return guessed;
	if (inputType === 'text') return 'text/plain; charset=utf-8';
	return source.mimeType || 'application/octet-stream';
}

/**
 * Uploads one file: stores binary/text/base64 content at a key (S3 API: PutObject for one part,
 * CreateMultipartUpload/UploadPart/CompleteMultipartUpload above the part size, see
 * helpers/upload.ts uploadObject; HeadObject when the server's ETag or the size is unknown).
 * A file in n8n's filesystem binary store is read part by part from the file, other stored
 * binary data is streamed, so memory stays ≈ part size × parts in flight.
 * A failed multipart upload is aborted (AbortMultipartUpload), leaving nothing behind.
 *
 * Output: { bucket, key, etag, size (bytes), contentType, versionId?, presignedUrl?, urlExpiryDate? }
 */
async function uploadFile(this: IExecuteFunctions, ctx: OperationContext, file?: { key: string; binaryProperty: string }): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = file?.key ?? getKeyParam(this, i);
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const options = getOptions(this, i);
	const inputType = nodeParameter(this, 'inputType', i, 'binary') as string;
	const expiresIn = options.returnPresignedUrl ? validateExpiresIn(this, options.expiresIn ?? 3600, i, 'Expires In (option)') : 0;
	const metadata = options.metadata !== undefined ? validateMetadata(this, keyValuePairs(options.metadata, 'metadataValues', 'Metadata'), i) : undefined;
	const tags = Object.entries(keyValuePairs(options.tags, 'tag', 'Tags')).map(([Key, Value]) => ({ Key, Value: String(Value ?? '') }));
	const partSizeMiB = Number(options.partSize ?? DEFAULT_PART_SIZE_MIB);
	if (!(partSizeMiB >= 5)) {
		throw new NodeOperationError(this.getNode(), 'Part Size must be at least 5 MiB (S3\'s smallest multipart part)', { itemIndex: i });
	}
	const queueSize = Math.max(1, Math.floor(Number(options.queueSize ?? DEFAULT_QUEUE_SIZE)));

	let partSize = Math.floor(partSizeMiB * MiB);
	// A stored file that fits in one part is read in one go (it is sent as one PutObject anyway).
	const source = await readSource(this, i, inputType, { bufferUpTo: partSize, chunkSize: UPLOAD_READ_CHUNK }, file?.binaryProperty);
	const contentType = chooseContentType(options.contentType, source, key, inputType);
	// Keep within S3's 10,000 parts when the size is known.
	if (source.contentLength !== undefined) partSize = Math.max(partSize, Math.ceil(source.contentLength / 10_000));

	const params: PutObjectCommandInput = {
		Bucket: bucket,
		Key: key,
		ContentType: contentType,
		Metadata: metadata,
		ACL: (options.acl as ObjectCannedACL) || undefined,
		StorageClass: (options.storageClass as StorageClass) || undefined,
		ServerSideEncryption: (options.serverSideEncryption as ServerSideEncryption) || undefined,
		SSEKMSKeyId: (options.sseKmsKeyId as string) || undefined,
		CacheControl: (options.cacheControl as string) || undefined,
		ContentDisposition: (options.contentDisposition as string) || undefined,
		ContentEncoding: (options.contentEncoding as string) || undefined,
		Tagging: tags.length
			? tags.map((t) => `${encodeURIComponent(t.Key)}=${encodeURIComponent(t.Value)}`).join('&')
			: undefined,
	};

	const result = await uploadObject(ctx.client, params, source, { partSize, queueSize, abortSignal: ctx.abortSignal });

	let etag = normalizeEtag(result.ETag);
	let size = source.contentLength ?? result.uploaded;
	let versionId = result.VersionId;
	if (!etag || size === undefined) {
		// Some servers (Ceph RGW) answer CompleteMultipartUpload with an empty ETag.
		const head = await ctx.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
		etag = normalizeEtag(head.ETag);
		size = head.ContentLength ?? size;
		versionId ??= head.VersionId;
	}
	const json: IDataObject = { bucket, key, etag: etag ?? null, size: size ?? null, contentType };
	if (versionId) json.versionId = versionId;
	if (expiresIn) {
		const signed = await presignObjectUrl(ctx.client, 'GET', bucket, key, expiresIn);
		json.presignedUrl = signed.url;
		json.urlExpiryDate = signed.expiresAt;
	}
	return [{ json }];
}

/**
 * The binary properties named by Input Binary Field: `undefined` for a single name (today's
 * one-file upload), else the list: "a, b, c" (comma-separated, blanks dropped, duplicates once)
 * or "*" (every binary property of the item, in the item's order).
 * @throws NodeOperationError when "*" finds no binary property on the item
 */
export function binaryPropertyList(ctx: IExecuteFunctions, itemIndex: number, value: string): string[] | undefined {
	const text = value.trim();
	if (text === '*') {
		const all = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		if (!all.length) {
			throw new NodeOperationError(ctx.getNode(), 'Input Binary Field is "*" but the item has no binary data at all: add a node that produces files before this one', { itemIndex });
		}
		return all;
	}
	if (!text.includes(',')) return undefined;
	return [...new Set(text.split(',').map((p) => p.trim()).filter((p) => p !== ''))];
}

/**
 * The key of each file of a several-file upload: `folder` (a "/" added when missing) + the
 * binary's file name. A file without a name gets its property name plus the extension of its
 * MIME type ("attachment_1.pdf"); a "/" or backslash in a name becomes "_"; a name already used by an
 * earlier file of the item gets " (2)", " (3)", ... before its extension ("photo (2).jpg").
 */
export function keysForFiles(folder: string, files: Array<{ property: string; fileName?: string; mimeType?: string }>): string[] {
	const base = folder === '' || folder.endsWith('/') ? folder : `${folder}/`;
	const used = new Set<string>();
	return files.map(({ property, fileName, mimeType }) => {
		let name = String(fileName ?? '').trim().replace(/[/\\]/g, '_');
		if (!name) {
			const ext = mimeType ? mimeExtension(mimeType) : false;
			name = ext ? `${property}.${ext}` : property;
		}
		const dot = name.lastIndexOf('.');
		const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
		let candidate = name;
		for (let n = 2; used.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
		used.add(candidate);
		return base + candidate;
	});
}

/**
 * Upload (S3 API: see {@link uploadFile}). Input Binary Field may name several binary properties
 * ("a, b" or "*"): then each file is uploaded, one after the other, to Key as a folder + the
 * file's name (see {@link keysForFiles}), and the output has one item per file with
 * `binaryProperty` added. A single name, or a list that names one file, stores it at Key
 * itself, unless Key ends with "/": then Key is a folder and the file goes into it under its
 * file name, as in the several-file form (so a workflow uploading many files into one folder
 * needs no per-item Key expression). Text and Base64 input always go to Key itself. A file that
 * fails fails the item (files uploaded before it stay).
 *
 * Output per file: { bucket, key, etag, size (bytes), contentType, versionId?, presignedUrl?,
 * urlExpiryDate?, binaryProperty (several-file form only) }
 * @throws NodeOperationError for a missing binary property (naming it), as {@link uploadFile}
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const inputType = nodeParameter(this, 'inputType', i, 'binary') as string;
	if (inputType !== 'binary') return await uploadFile.call(this, ctx);
	const named = String(nodeParameter(this, 'binaryPropertyName', i, 'data') ?? '');
	const listed = binaryPropertyList(this, i, named);
	if (listed && !listed.length) {
		throw new NodeOperationError(this.getNode(), 'Input Binary Field lists no property: give names separated by commas, e.g. "attachment_0, attachment_1", or "*"', { itemIndex: i });
	}
	const properties = listed ?? [named.trim()];
	const key = getKeyParam(this, i);
	// one file goes to Key itself unless Key ends with "/"; otherwise Key is a folder
	let keys = [key];
	if (properties.length > 1 || key.endsWith('/')) {
		const binaries = this.getInputData()[i]?.binary ?? {};
		keys = keysForFiles(key, properties.map((property) => ({ property, fileName: binaries[property]?.fileName, mimeType: binaries[property]?.mimeType })));
	}
	const out: INodeExecutionData[] = [];
	for (let f = 0; f < properties.length; f++) {
		for (const item of await uploadFile.call(this, ctx, { key: keys[f], binaryProperty: properties[f] })) {
			// the several-file form says which property each file came from
			out.push(listed ? { ...item, json: { ...item.json, binaryProperty: properties[f] } } : item);
		}
	}
	return out;
}
