/**
 * Object operations through the node's execute(), against the real S3 server: bytes stored
 * and returned are compared by sha256, server state is read back with a plain SDK client.
 */
import { GetObjectTaggingCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { binaryItem, readBinary } from './helpers/context';
import { run, runError, rl } from './helpers/node';
import {
	emptyAndDeleteBucket,
	getObjectBuffer,
	headObject,
	listAllKeys,
	putObject,
	randomBuffer,
	rawClient,
	sha256,
	uniqueBucket,
} from './helpers/s3';

let bucket: string;
let other: string;

beforeAll(async () => {
	bucket = await uniqueBucket('obj');
	other = await uniqueBucket('obj2');
});
afterAll(async () => {
	await emptyAndDeleteBucket(bucket);
	await emptyAndDeleteBucket(other);
});

const upload = (extra: Record<string, unknown>) => ({
	resource: 'object',
	operation: 'upload',
	bucketName: rl(bucket),
	...extra,
});

describe('upload', () => {
	it('stores binary input (memory mode) byte for byte and reports etag, size, content type', async () => {
		const data = randomBuffer(70_000, 3);
		const [out] = await run(upload({ key: rl('up/bin.dat', 'key') }), {
			items: [await binaryItem(data, { fileName: 'bin.dat', mimeType: 'application/x-test' })],
		});
		expect(out.json).toMatchObject({ bucket, key: 'up/bin.dat', size: data.length, contentType: 'application/x-test' });
		const stored = await getObjectBuffer(bucket, 'up/bin.dat');
		expect(sha256(stored)).toBe(sha256(data));
		const head = await headObject(bucket, 'up/bin.dat');
		expect(out.json.etag).toBe(head.ETag?.replace(/"/g, ''));
		expect(out.pairedItem).toEqual({ item: 0 });
	});

	it('streams binary input from the filesystem binary store through a multipart upload', async () => {
		const data = randomBuffer(12 * 1024 * 1024 + 123, 4);
		const [out] = await run(upload({ key: 'up/big.bin', options: { partSize: 5 } }), {
			items: [await binaryItem(data, { fileName: 'big.bin', mode: 'filesystem' })],
			binaryMode: 'filesystem',
		});
		const stored = await getObjectBuffer(bucket, 'up/big.bin');
		expect(stored.length).toBe(data.length);
		expect(sha256(stored)).toBe(sha256(data));
		// A multipart ETag has a "-<parts>" suffix; RGW returns an empty one on completion,
		// so this proves the node fell back to HeadObject.
		expect(out.json.etag).toMatch(/^[0-9a-f]{32}-3$/);
		expect(out.json.size).toBe(data.length);
	});

	it('stores text as UTF-8 with a content type guessed from the key', async () => {
		const text = 'naïve café ✓\nline 2';
		const [out] = await run(upload({ key: 'up/note.txt', inputType: 'text', content: text }));
		expect(out.json.contentType).toBe('text/plain');
		expect((await getObjectBuffer(bucket, 'up/note.txt')).toString('utf8')).toBe(text);
		expect(out.json.size).toBe(Buffer.byteLength(text));
	});

	it('decodes base64 input, keeps a given content type, metadata, tags, cache control and disposition', async () => {
		const data = randomBuffer(1000, 5);
		const [out] = await run(
			upload({
				key: 'up/b64.bin',
				inputType: 'base64',
				content: data.toString('base64'),
				options: {
					contentType: 'application/x-custom',
					metadata: { metadataValues: [{ name: 'Author', value: 'Ada' }, { name: 'x-amz-meta-job', value: '42' }] },
					tags: { tag: [{ key: 'team', value: 'data eng' }] },
					cacheControl: 'max-age=60',
					contentDisposition: 'attachment; filename="b64.bin"',
				},
			}),
		);
		expect(out.json.contentType).toBe('application/x-custom');
		expect(sha256(await getObjectBuffer(bucket, 'up/b64.bin'))).toBe(sha256(data));
		const head = await headObject(bucket, 'up/b64.bin');
		expect(head.ContentType).toBe('application/x-custom');
		expect(head.Metadata).toEqual({ author: 'Ada', job: '42' });
		expect(head.CacheControl).toBe('max-age=60');
		expect(head.ContentDisposition).toBe('attachment; filename="b64.bin"');
		const tags = await rawClient().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'up/b64.bin' }));
		expect(tags.TagSet).toEqual([{ Key: 'team', Value: 'data eng' }]);
	});

	it('returns a presigned GET URL that serves the uploaded bytes until urlExpiryDate', async () => {
		const before = Date.now();
		const [out] = await run(
			upload({ key: 'up/shared file.txt', inputType: 'text', content: 'shared!', options: { returnPresignedUrl: true, expiresIn: 120 } }),
		);
		const expiry = Date.parse(out.json.urlExpiryDate as string);
		expect(expiry).toBeGreaterThanOrEqual(before + 119_000);
		expect(expiry).toBeLessThanOrEqual(Date.now() + 121_000);
		const res = await fetch(out.json.presignedUrl as string);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('shared!');
	});

	it('uses a storage class and server-side encryption when asked', async () => {
		await run(upload({ key: 'up/cold.txt', inputType: 'text', content: 'cold', options: { storageClass: 'STANDARD' } }));
		const head = await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: 'up/cold.txt' }));
		expect(head.ContentLength).toBe(4);
	});
});

describe('download', () => {
	const json = { rows: [1, 2, 3], name: 'ü' };
	beforeAll(async () => {
		await putObject(bucket, 'down/data.json', Buffer.from(JSON.stringify(json)), { contentType: 'application/json' });
		await putObject(bucket, 'down/blob.bin', randomBuffer(300_000, 7), { contentType: 'application/octet-stream' });
	});
	const download = (extra: Record<string, unknown>) => ({ resource: 'object', operation: 'download', bucketName: rl(bucket), ...extra });

	it.each(['memory', 'filesystem'] as const)('gives binary output (%s mode) named after the key', async (mode) => {
		const [out] = await run(download({ key: 'down/blob.bin' }), { binaryMode: mode });
		const bin = out.binary!.data;
		expect(bin.fileName).toBe('blob.bin');
		expect(sha256(await readBinary(bin))).toBe(sha256(randomBuffer(300_000, 7)));
		expect(out.json).toMatchObject({ bucket, key: 'down/blob.bin', size: 300_000, contentType: 'application/octet-stream' });
		expect(typeof out.json.etag).toBe('string');
		expect(Number.isNaN(Date.parse(out.json.lastModified as string))).toBe(false);
		if (mode === 'filesystem') expect(bin.id).toBeDefined();
	});

	it('puts binary output in a chosen property', async () => {
		const [out] = await run(download({ key: 'down/data.json', binaryPropertyName: 'file' }));
		expect(Object.keys(out.binary!)).toEqual(['file']);
		expect(out.binary!.file.mimeType).toBe('application/json');
	});

	it('gives text, base64 and parsed JSON', async () => {
		const raw = JSON.stringify(json);
		const [text] = await run(download({ key: 'down/data.json', outputType: 'text' }));
		expect(text.json.data).toBe(raw);
		const [b64] = await run(download({ key: 'down/data.json', outputType: 'base64' }));
		expect(Buffer.from(b64.json.data as string, 'base64').toString()).toBe(raw);
		const [parsed] = await run(download({ key: 'down/data.json', outputType: 'json' }));
		expect(parsed.json.data).toEqual(json);
		expect(parsed.binary).toBeUndefined();
	});

	it('downloads a byte range', async () => {
		const [out] = await run(download({ key: 'down/blob.bin', outputType: 'base64', options: { range: 'bytes=10-19' } }));
		expect(Buffer.from(out.json.data as string, 'base64')).toEqual(randomBuffer(300_000, 7).subarray(10, 20));
		expect(out.json.size).toBe(10);
		expect(out.json.contentRange).toBe('bytes 10-19/300000');
	});

	it('refuses JSON output for an object that is not JSON', async () => {
		const error = await runError(download({ key: 'down/blob.bin', outputType: 'json' }));
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/not valid JSON.*Output Type/);
	});

	it('fails with NoSuchKey naming the key', async () => {
		const error = await runError(download({ key: 'down/missing.txt' }));
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toContain('"down/missing.txt"');
		expect(error.httpCode).toBe('404');
	});
});

describe('get (metadata)', () => {
	it('returns size, content type, etag, last modified and user metadata without the content', async () => {
		await rawClient().send(
			new (await import('@aws-sdk/client-s3')).PutObjectCommand({
				Bucket: bucket,
				Key: 'meta/x.csv',
				Body: 'a,b\n',
				ContentType: 'text/csv',
				Metadata: { owner: 'ops' },
			}),
		);
		const [out] = await run({ resource: 'object', operation: 'get', bucketName: rl(bucket), key: 'meta/x.csv' });
		expect(out.json).toMatchObject({ bucket, key: 'meta/x.csv', size: 4, contentType: 'text/csv', metadata: { owner: 'ops' } });
		expect(out.json.etag).toBe((await headObject(bucket, 'meta/x.csv')).ETag?.replace(/"/g, ''));
		expect(out.json.data).toBeUndefined();
		expect(out.binary).toBeUndefined();
	});
});

describe('getMany', () => {
	const keys = ['list/a.txt', 'list/b.txt', 'list/sub/c.txt', 'list/sub/deeper/d.txt', 'other/e.txt'];
	let listBucket: string;
	beforeAll(async () => {
		listBucket = await uniqueBucket('list');
		for (const k of keys) await putObject(listBucket, k, Buffer.from(k));
	});
	afterAll(async () => emptyAndDeleteBucket(listBucket));
	const list = (extra: Record<string, unknown>) => ({ resource: 'object', operation: 'getMany', bucketName: rl(listBucket), ...extra });

	it('lists every object with Return All, with the interface fields', async () => {
		const out = await run(list({ returnAll: true }));
		expect(out.map((o) => o.json.key)).toEqual(keys);
		expect(out[0].json).toMatchObject({ key: 'list/a.txt', size: 10, storageClass: 'STANDARD' });
		expect(typeof out[0].json.etag).toBe('string');
		expect((out[0].json.etag as string).includes('"')).toBe(false);
		expect(out.every((o) => o.pairedItem && (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('filters by prefix and pages through small pages', async () => {
		const out = await run(list({ prefix: 'list/', returnAll: true, options: { maxKeys: 2 } }));
		expect(out.map((o) => o.json.key)).toEqual(keys.slice(0, 4));
	});

	it('stops at the limit and gives a continuation token that continues the listing', async () => {
		const first = await run(list({ limit: 2, options: { maxKeys: 1000 } }));
		expect(first.map((o) => o.json.key)).toEqual(keys.slice(0, 2));
		const token = first[1].json.nextContinuationToken as string;
		expect(token).toBeTruthy();
		const rest = await run(list({ returnAll: true, options: { continuationToken: token } }));
		expect(rest.map((o) => o.json.key)).toEqual(keys.slice(2));
	});

	it('lists only direct children with delimiter "/" and honours start after', async () => {
		const direct = await run(list({ prefix: 'list/', returnAll: true, options: { delimiter: '/' } }));
		expect(direct.map((o) => o.json.key)).toEqual(['list/a.txt', 'list/b.txt']);
		const after = await run(list({ returnAll: true, options: { startAfter: 'list/b.txt' } }));
		expect(after.map((o) => o.json.key)).toEqual(keys.slice(2));
	});

	it('adds working presigned URLs with expiry dates', async () => {
		const out = await run(list({ prefix: 'list/sub/', returnAll: true, options: { presignedUrls: true, expiresIn: 300 } }));
		expect(out).toHaveLength(2);
		for (const o of out) {
			const res = await fetch(o.json.presignedUrl as string);
			expect(await res.text()).toBe(o.json.key);
			expect(Date.parse(o.json.urlExpiryDate as string)).toBeGreaterThan(Date.now() + 290_000);
		}
	});

	it('returns nothing for an empty prefix match', async () => {
		expect(await run(list({ prefix: 'nothing-here/', returnAll: true }))).toEqual([]);
	});
});

describe('copy, move, delete, deleteMany', () => {
	it('copies within and across buckets keeping content and metadata', async () => {
		await rawClient().send(
			new (await import('@aws-sdk/client-s3')).PutObjectCommand({ Bucket: bucket, Key: 'cp/src.txt', Body: 'copy me', ContentType: 'text/plain', Metadata: { a: '1' } }),
		);
		const [out] = await run({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(bucket),
			sourceKey: 'cp/src.txt',
			destinationBucketName: rl(other),
			destinationKey: 'cp/dst.txt',
		});
		expect(out.json).toMatchObject({ sourceBucket: bucket, sourceKey: 'cp/src.txt', bucket: other, key: 'cp/dst.txt' });
		expect(out.json.etag).toBe((await headObject(other, 'cp/dst.txt')).ETag?.replace(/"/g, ''));
		expect((await getObjectBuffer(other, 'cp/dst.txt')).toString()).toBe('copy me');
		expect((await headObject(other, 'cp/dst.txt')).Metadata).toEqual({ a: '1' });
		expect(await listAllKeys(bucket, 'cp/')).toEqual(['cp/src.txt']);
	});

	it('replaces metadata on copy when given, keeping the content type', async () => {
		await run({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(bucket),
			sourceKey: 'cp/src.txt',
			destinationBucketName: rl(bucket),
			destinationKey: 'cp/new-meta.txt',
			options: { metadata: { metadataValues: [{ name: 'b', value: '2' }] } },
		});
		const head = await headObject(bucket, 'cp/new-meta.txt');
		expect(head.Metadata).toEqual({ b: '2' });
		expect(head.ContentType).toBe('text/plain');
	});

	it('moves an object: the destination exists and the source is gone', async () => {
		await putObject(bucket, 'mv/from.txt', Buffer.from('move me'));
		const [out] = await run({
			resource: 'object',
			operation: 'move',
			sourceBucketName: rl(bucket),
			sourceKey: 'mv/from.txt',
			destinationBucketName: rl(bucket),
			destinationKey: 'mv/to.txt',
		});
		expect(out.json).toMatchObject({ sourceKey: 'mv/from.txt', key: 'mv/to.txt', bucket });
		expect(await listAllKeys(bucket, 'mv/')).toEqual(['mv/to.txt']);
		expect((await getObjectBuffer(bucket, 'mv/to.txt')).toString()).toBe('move me');
	});

	it('fails copy and move of a missing source without touching the destination', async () => {
		for (const operation of ['copy', 'move']) {
			const error = await runError({
				resource: 'object',
				operation,
				sourceBucketName: rl(bucket),
				sourceKey: 'nope/missing.txt',
				destinationBucketName: rl(bucket),
				destinationKey: 'nope/dst.txt',
			});
			expect(error.constructor.name).toBe('NodeApiError');
			expect(error.message).toContain('nope/missing.txt');
		}
		expect(await listAllKeys(bucket, 'nope/')).toEqual([]);
	});

	it('deletes one object, and a missing key also counts as deleted', async () => {
		await putObject(bucket, 'del/one.txt', Buffer.from('x'));
		const [out] = await run({ resource: 'object', operation: 'delete', bucketName: rl(bucket), key: 'del/one.txt' });
		expect(out.json).toEqual({ bucket, key: 'del/one.txt', deleted: true });
		expect(await listAllKeys(bucket, 'del/')).toEqual([]);
		const [again] = await run({ resource: 'object', operation: 'delete', bucketName: rl(bucket), key: 'del/one.txt' });
		expect(again.json.deleted).toBe(true);
	});

	it('deletes many keys from lines (blank lines and \\r ignored) and from an array', async () => {
		for (const k of ['dm/1', 'dm/2', 'dm/3', 'dm/4']) await putObject(bucket, k, Buffer.from(k));
		const [out] = await run({ resource: 'object', operation: 'deleteMany', bucketName: rl(bucket), keys: 'dm/1\r\n\ndm/2\r\ndm/never-existed\n' });
		expect((out.json.deleted as string[]).sort()).toEqual(['dm/1', 'dm/2', 'dm/never-existed']);
		expect(out.json.errors).toEqual([]);
		const [arr] = await run({ resource: 'object', operation: 'deleteMany', bucketName: rl(bucket), keys: ['dm/3', 'dm/4'] as unknown as string });
		expect((arr.json.deleted as string[]).sort()).toEqual(['dm/3', 'dm/4']);
		expect(await listAllKeys(bucket, 'dm/')).toEqual([]);
	});
});

describe('getPresignedUrl', () => {
	it('signs a GET URL that downloads the object', async () => {
		await putObject(bucket, 'ps/get.txt', Buffer.from('presigned get'));
		const [out] = await run({ resource: 'object', operation: 'getPresignedUrl', bucketName: rl(bucket), key: 'ps/get.txt', method: 'GET', expiresIn: 60 });
		expect(out.json).toMatchObject({ method: 'GET', bucket, key: 'ps/get.txt' });
		expect(Date.parse(out.json.expiresAt as string)).toBeGreaterThan(Date.now() + 50_000);
		expect(await (await fetch(out.json.url as string)).text()).toBe('presigned get');
	});

	it('signs a PUT URL that stores an upload, with the signed content type enforced', async () => {
		const [out] = await run({
			resource: 'object',
			operation: 'getPresignedUrl',
			bucketName: rl(bucket),
			key: 'ps/put.txt',
			method: 'PUT',
			expiresIn: 60,
			options: { contentType: 'text/plain' },
		});
		const put = await fetch(out.json.url as string, { method: 'PUT', body: 'via presigned put', headers: { 'content-type': 'text/plain' } });
		expect(put.status).toBe(200);
		expect((await getObjectBuffer(bucket, 'ps/put.txt')).toString()).toBe('via presigned put');
		expect((await headObject(bucket, 'ps/put.txt')).ContentType).toBe('text/plain');
	});
});
