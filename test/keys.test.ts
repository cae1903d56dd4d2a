/**
 * Keys with spaces, unicode and the characters S3 treats specially round-trip through every
 * operation that takes a key, including presigned URLs.
 */
import { emptyAndDeleteBucket, getObjectBuffer, listAllKeys, sha256, uniqueBucket } from './helpers/s3';
import { readBinary } from './helpers/context';
import { run, rl } from './helpers/node';

const KEYS = [
	'dir a/é ü/файл.txt',
	'special/+ = : ( ) , ; @ & $.txt',
	'spaces  double/ trailing .txt',
	'emoji/😀 smile.txt',
	'plus+and%percent?.txt',
];

let bucket: string;
beforeAll(async () => {
	bucket = await uniqueBucket('keys');
});
afterAll(async () => emptyAndDeleteBucket(bucket));

describe.each(KEYS)('key %j', (key) => {
	const content = `content of ${key}`;
	it('round-trips through upload, list, get, download, presigned URLs, copy, move and delete', async () => {
		const [up] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key, inputType: 'text', content });
		expect(up.json.key).toBe(key);
		expect((await getObjectBuffer(bucket, key)).toString()).toBe(content);

		const listed = await run({ resource: 'object', operation: 'getMany', bucketName: rl(bucket), prefix: key, returnAll: true, options: { presignedUrls: true } });
		expect(listed.map((o) => o.json.key)).toEqual([key]);
		expect(await (await fetch(listed[0].json.presignedUrl as string)).text()).toBe(content);

		const [meta] = await run({ resource: 'object', operation: 'get', bucketName: rl(bucket), key });
		expect(meta.json.size).toBe(Buffer.byteLength(content));

		const [down] = await run({ resource: 'object', operation: 'download', bucketName: rl(bucket), key });
		expect(sha256(await readBinary(down.binary!.data))).toBe(sha256(content));
		expect(down.binary!.data.fileName).toBe(key.split('/').pop());

		const [put] = await run({ resource: 'object', operation: 'getPresignedUrl', bucketName: rl(bucket), key: `${key}.put`, method: 'PUT', expiresIn: 60 });
		expect((await fetch(put.json.url as string, { method: 'PUT', body: 'put body' })).status).toBe(200);
		expect((await getObjectBuffer(bucket, `${key}.put`)).toString()).toBe('put body');

		const copyKey = `copied/${key}`;
		await run({ resource: 'object', operation: 'copy', sourceBucketName: rl(bucket), sourceKey: key, destinationBucketName: rl(bucket), destinationKey: copyKey });
		expect((await getObjectBuffer(bucket, copyKey)).toString()).toBe(content);
		const movedKey = `moved/${key}`;
		await run({ resource: 'object', operation: 'move', sourceBucketName: rl(bucket), sourceKey: copyKey, destinationBucketName: rl(bucket), destinationKey: movedKey });
		expect((await getObjectBuffer(bucket, movedKey)).toString()).toBe(content);

		await run({ resource: 'object', operation: 'delete', bucketName: rl(bucket), key });
		const [many] = await run({ resource: 'object', operation: 'deleteMany', bucketName: rl(bucket), keys: [movedKey, `${key}.put`] as unknown as string });
		expect((many.json.deleted as string[]).sort()).toEqual([movedKey, `${key}.put`].sort());
		const remaining = await listAllKeys(bucket);
		expect(remaining.filter((k) => k.includes(key))).toEqual([]);
	});
});
