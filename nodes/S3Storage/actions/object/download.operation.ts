import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { fileNameFromKey, lengthChecked, storeObjectBody, streamToBuffer } from '../../../shared/helpers/binary';
import { getBucketParam, getKeyParam, getOptions } from '../../../shared/helpers/params';
import { normalizeEtag, validateRange } from '../../../shared/helpers/validation';
import { bucketLocator, keyLocator, optionsCollection, showFor, versionIdOption } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'download', [
		bucketLocator(),
		keyLocator('key', 'Key', 'The key of the object to download'),
		{
			displayName: 'Output Type',
			name: 'outputType',
			type: 'options',
			default: 'binary',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'Into a binary property, streamed (any size)' },
				{ name: 'Text', value: 'text', description: 'Into the "data" field as UTF-8 text' },
				{ name: 'Base64', value: 'base64', description: 'Into the "data" field as a base64 string' },
				{ name: 'JSON', value: 'json', description: 'Parsed into the "data" field' },
			],
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the file in',
			displayOptions: { show: { outputType: ['binary'] } },
		},
	]),
	optionsCollection('object', 'download', [
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description: 'File name of the binary output; empty uses the last segment of the key',
		},
		{
			displayName: 'Range',
			name: 'range',
			type: 'string',
			default: '',
			placeholder: 'bytes=0-99',
			description: 'Download only these bytes (HTTP Range form: bytes=START-END, bytes=START-, bytes=-LAST)',
		},
		versionIdOption,
	]),
];

/**
 * Download: reads an object (S3 API: GetObject, with VersionId and Range). Binary output is
 * streamed into n8n's binary data (never a whole-file Buffer here) and checked against the
 * response's Content-Length, so a cut connection fails the item instead of passing a
 * truncated file on. Text, base64 and JSON are read into memory.
 *
 * Output: { bucket, key, size (bytes returned), contentType, etag, lastModified, versionId?,
 * contentRange?, data? (text/base64/json) } plus the binary property for binary output.
 * @throws NodeOperationError for a malformed range, or JSON output of a non-JSON object
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = getKeyParam(this, i);
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const options = getOptions(this, i);
	const outputType = this.getNodeParameter('outputType', i, 'binary') as string;
	const range = options.range ? validateRange(this, String(options.range), i) : undefined;
	const binaryProperty = outputType === 'binary' ? String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() : '';
	if (outputType === 'binary' && !binaryProperty) {
		throw new NodeOperationError(this.getNode(), 'Put Output File in Field is empty: give a binary property name such as "data"', { itemIndex: i });
	}

	const res = await ctx.client.send(
		new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: (options.versionId as string) || undefined, Range: range }),
		{ abortSignal: ctx.abortSignal },
	);
	const contentType = res.ContentType || 'application/octet-stream';
	const json: IDataObject = {
		bucket,
		key,
		size: res.ContentLength ?? null,
		contentType,
		etag: normalizeEtag(res.ETag) ?? null,
		lastModified: res.LastModified ? res.LastModified.toISOString() : null,
	};
	if (res.VersionId) json.versionId = res.VersionId;
	if (res.ContentRange) json.contentRange = res.ContentRange;
	if (res.Metadata && Object.keys(res.Metadata).length) json.metadata = res.Metadata;

	if (outputType === 'binary') {
		const { binary } = await storeObjectBody(this.helpers, res, (options.fileName as string) || fileNameFromKey(key));
		return [{ json, binary: { [binaryProperty]: binary } }];
	}
	const buffer = await streamToBuffer(lengthChecked(res.Body as Readable, res.ContentLength));
	if (outputType === 'text') json.data = buffer.toString('utf8');
	else if (outputType === 'base64') json.data = buffer.toString('base64');
	else if (outputType === 'json') {
		try {
			json.data = JSON.parse(buffer.toString('utf8').replace(/^\uFEFF/, ''));
		} catch (e) {
			throw new NodeOperationError(
				this.getNode(),
				`Object "${key}" is not valid JSON (${(e as Error).message}): set Output Type to "Text" or "Binary File" for this object`,
				{ itemIndex: i },
			);
		}
	} else {
		throw new NodeOperationError(this.getNode(), `Output Type "${outputType}" is not known: use binary, text, base64 or json`, { itemIndex: i });
	}
	return [{ json }];
}
