/**
 * Copy and Move of objects over CopyObject's 5 GiB limit: the node falls back to a multipart
 * copy (UploadPartCopy) when the server refuses CopyObject as too large. The refusal is
 * replayed by the fault proxy with AWS's exact answer (RGW copies any size with CopyObject);
 * everything after it runs on the real server, with the part size lowered to 5 MiB so a
 * 12 MiB object is copied in 3 parts.
 */
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { INodeParameters } from 'n8n-workflow';
import { isCopySourceTooLarge, multipartCopyTuning } from '../nodes/shared/helpers/multipartCopy';
import { FaultProxy, type ProxyRequest } from './helpers/faultProxy';
import { run, runError, rl } from './helpers/node';
import {
	emptyAndDeleteBucket,
	getObjectBuffer,
	headObject,
	listOpenMultipartUploads,
	objectExists,
	randomBuffer,
	rawClient,
	sha256,
	testConfig,
	testCredentials,
	uniqueBucket,
} from './helpers/s3';

const MiB = 1024 * 1024;
const SIZE = 12 * MiB + 123;
const TOO_LARGE = 'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120';

let bucket: string;
let proxy: FaultProxy;
const data = randomBuffer(SIZE, 77);
const saved = { ...multipartCopyTuning };

const isCopyObject = (r: ProxyRequest) => r.method === 'PUT' && r.headers['x-amz-copy-source'] !== undefined && !r.query.has('uploadId');
const isPartCopy = (r: ProxyRequest) => r.method === 'PUT' && r.headers['x-amz-copy-source'] !== undefined && r.query.has('partNumber');

beforeAll(async () => {
	bucket = await uniqueBucket('cplarge');
	proxy = await FaultProxy.start(testConfig().endpoint);
	multipartCopyTuning.partSize = 5 * MiB;
	multipartCopyTuning.queueSize = 2;
	await rawClient().send(
		new PutObjectCommand({
			Bucket: bucket,
			Key: 'big/source.bin',
			Body: data,
			ContentType: 'application/x-test',
			Metadata: { origin: 'camera-7' },
			CacheControl: 'max-age=60',
			ContentDisposition: 'attachment; filename="source.bin"',
			Tagging: 'project=alpha&stage=raw',
		}),
	);
});
afterAll(async () => {
	Object.assign(multipartCopyTuning, saved);
	await proxy?.close();
	await emptyAndDeleteBucket(bucket);
});
beforeEach(() => {
	proxy.reset();
	// the server "refuses" the first CopyObject as too large, as AWS does above 5 GiB
	proxy.addRule({ match: isCopyObject, times: 1, action: { kind: 'respond', status: 400, code: 'InvalidRequest', message: TOO_LARGE }, label: 'too large' });
});

const credentials = () => testCredentials({ endpoint: proxy.endpoint });
const copyParams = (operation: 'copy' | 'move', destinationKey: string, options: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation,
	sourceBucketName: rl(bucket),
	sourceKey: rl('big/source.bin', 'key'),
	destinationBucketName: rl(bucket),
	destinationKey,
	options,
});

describe('copy over 5 GiB: multipart copy after the server refuses CopyObject', () => {
	it('copies byte for byte in parts, keeping content type, metadata, headers and tags', async () => {
		const [out] = await run(copyParams('copy', 'big/copy.bin'), { credentials: credentials() });
		expect(out.json).toMatchObject({ sourceBucket: bucket, sourceKey: 'big/source.bin', bucket, key: 'big/copy.bin' });
		expect(typeof out.json.etag).toBe('string');
		expect(out.json.etag).not.toMatch(/"/);

		// 1 refused CopyObject, then 3 UploadPartCopy (5 + 5 + 2 MiB) and a complete
		expect(proxy.requests.filter(isCopyObject).map((r) => r.status)).toEqual([400]);
		const parts = proxy.requests.filter(isPartCopy);
		expect(parts.map((r) => r.headers['x-amz-copy-source-range']).sort()).toEqual([
			`bytes=0-${5 * MiB - 1}`,
			`bytes=${10 * MiB}-${SIZE - 1}`,
			`bytes=${5 * MiB}-${10 * MiB - 1}`,
		]);
		expect(parts.every((r) => r.status === 200 && r.headers['x-amz-copy-source-if-match'])).toBe(true);

		expect(sha256(await getObjectBuffer(bucket, 'big/copy.bin'))).toBe(sha256(data));
		const head = await headObject(bucket, 'big/copy.bin');
		expect(head.ContentLength).toBe(SIZE);
		expect(head.ContentType).toBe('application/x-test');
		expect(head.Metadata).toEqual({ origin: 'camera-7' });
		expect(head.CacheControl).toBe('max-age=60');
		expect(head.ContentDisposition).toBe('attachment; filename="source.bin"');
		expect(head.ETag?.replace(/"/g, '')).toBe(out.json.etag);
		const tags = await rawClient().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'big/copy.bin' }));
		expect(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual({ project: 'alpha', stage: 'raw' });
		expect(await listOpenMultipartUploads(bucket)).toEqual([]);
	});

	it('replaces content type and metadata when the options say so', async () => {
		const [out] = await run(
			copyParams('copy', 'big/replaced.bin', { contentType: 'video/mp4', metadata: { metadataValues: [{ name: 'camera', value: '9' }] } }),
			{ credentials: credentials() },
		);
		expect(out.json.key).toBe('big/replaced.bin');
		expect(proxy.requests.filter(isPartCopy)).toHaveLength(3);
		const head = await headObject(bucket, 'big/replaced.bin');
		expect(head.ContentType).toBe('video/mp4');
		expect(head.Metadata).toEqual({ camera: '9' });
		expect(sha256(await getObjectBuffer(bucket, 'big/replaced.bin'))).toBe(sha256(data));
	});

	it('moves: copies in parts, then deletes the source', async () => {
		await rawClient().send(new PutObjectCommand({ Bucket: bucket, Key: 'big/to-move.bin', Body: data }));
		const [out] = await run({ ...copyParams('move', 'big/moved.bin'), sourceKey: rl('big/to-move.bin', 'key') }, { credentials: credentials() });
		expect(out.json).toMatchObject({ sourceKey: 'big/to-move.bin', key: 'big/moved.bin' });
		expect(proxy.requests.filter(isPartCopy)).toHaveLength(3);
		expect(await objectExists(bucket, 'big/to-move.bin')).toBe(false);
		expect(sha256(await getObjectBuffer(bucket, 'big/moved.bin'))).toBe(sha256(data));
	});

	it('a part that fails aborts the multipart upload: no object, no open upload, the item fails', async () => {
		proxy.addRule({ match: isPartCopy, skip: 1, times: 1, action: { kind: 'respond', status: 403, code: 'AccessDenied', message: 'Access Denied' }, label: 'part denied' });
		const error = await runError(copyParams('copy', 'big/failed.bin'), { credentials: credentials() });
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toMatch(/AccessDenied|Access Denied|permission/i);
		expect(proxy.requests.some((r) => r.method === 'DELETE' && r.query.has('uploadId') && r.status === 204)).toBe(true);
		expect(await objectExists(bucket, 'big/failed.bin')).toBe(false);
		expect(await listOpenMultipartUploads(bucket)).toEqual([]);
		// the source is untouched
		expect(sha256(await getObjectBuffer(bucket, 'big/source.bin'))).toBe(sha256(data));
	});

	it('other CopyObject errors are not retried as a multipart copy', async () => {
		proxy.reset();
		proxy.addRule({ match: isCopyObject, times: 1, action: { kind: 'respond', status: 400, code: 'InvalidRequest', message: 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata' } });
		const error = await runError(copyParams('copy', 'big/other.bin'), { credentials: credentials() });
		expect(error.message).toMatch(/InvalidRequest|copy request is illegal/);
		expect(proxy.requests.filter(isPartCopy)).toHaveLength(0);
		expect(proxy.requests.some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(false);
	});
});

describe('isCopySourceTooLarge', () => {
	const err = (Code: string, message: string, status = 400) => Object.assign(new Error(message), { name: Code, Code, $metadata: { httpStatusCode: status } });
	it.each([
		['AWS', err('InvalidRequest', TOO_LARGE), true],
		['EntityTooLarge', err('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.'), true],
		['InvalidArgument with the text', err('InvalidArgument', 'copy source object size is greater than 5GB'), true],
		['copy onto itself', err('InvalidRequest', 'This copy request is illegal because it is trying to copy an object to itself'), false],
		['NoSuchKey', err('NoSuchKey', 'The specified key does not exist.', 404), false],
		['a 500 with the text', err('InternalError', TOO_LARGE, 500), false],
	])('%s', (_label, error, expected) => {
		expect(isCopySourceTooLarge(error)).toBe(expected);
	});
});
