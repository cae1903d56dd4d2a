/** Bucket operations through execute(), checked against the server's state. */
import { bucketExists, emptyAndDeleteBucket, putObject, trackBucket, uniqueBucket, uniqueBucketName } from './helpers/s3';
import { run, runError, rl } from './helpers/node';

describe('bucket', () => {
	it('creates a bucket and reports its name and region', async () => {
		const name = uniqueBucketName('bk');
		trackBucket(name);
		const [out] = await run({ resource: 'bucket', operation: 'create', bucketName: name });
		expect(out.json).toEqual({ name, region: 'us-east-1' });
		expect(await bucketExists(name)).toBe(true);
		await emptyAndDeleteBucket(name);
	});

	it('creates a bucket from a resource-locator value saved in a workflow (INTERFACE.md: bucketName on create)', async () => {
		// create's field is a plain string, so n8n's extractValue leaves the {__rl, value, mode} object as is
		const name = uniqueBucketName('bkrl');
		trackBucket(name);
		const [out] = await run({ resource: 'bucket', operation: 'create', bucketName: { __rl: true, value: name, mode: 'name' } });
		expect(out.json).toEqual({ name, region: 'us-east-1' });
		expect(await bucketExists(name)).toBe(true);
		await emptyAndDeleteBucket(name);
		// the strict naming rules still apply to the unwrapped value
		const error = await runError({ resource: 'bucket', operation: 'create', bucketName: { __rl: true, value: 'Bad_Name', mode: 'name' } });
		expect(error.message).toMatch(/Bucket Name "Bad_Name" is not valid/);
		const empty = await runError({ resource: 'bucket', operation: 'create', bucketName: { __rl: true, value: '', mode: 'name' } });
		expect(empty.message).toMatch(/Bucket Name is empty/);
	});

	it('gets an existing bucket (exists + region) and a missing one as exists: false', async () => {
		const name = await uniqueBucket('bk');
		const [found] = await run({ resource: 'bucket', operation: 'get', bucketName: rl(name, 'list') });
		expect(found.json).toMatchObject({ name, exists: true });
		expect(typeof found.json.region).toBe('string');
		expect((found.json.region as string).length).toBeGreaterThan(0);
		const [missing] = await run({ resource: 'bucket', operation: 'get', bucketName: `${name}-missing` });
		expect(missing.json).toMatchObject({ name: `${name}-missing`, exists: false });
		await emptyAndDeleteBucket(name);
	});

	it('lists buckets with creation dates, with Return All and with a limit', async () => {
		const a = await uniqueBucket('bka');
		const b = await uniqueBucket('bkb');
		const all = await run({ resource: 'bucket', operation: 'getMany', returnAll: true });
		const names = all.map((o) => o.json.name);
		expect(names).toEqual(expect.arrayContaining([a, b]));
		const mine = all.find((o) => o.json.name === a)!;
		expect(Number.isNaN(Date.parse(mine.json.creationDate as string))).toBe(false);
		const one = await run({ resource: 'bucket', operation: 'getMany', returnAll: false, limit: 1 });
		expect(one).toHaveLength(1);
		const filtered = await run({ resource: 'bucket', operation: 'getMany', returnAll: true, options: { search: b.slice(-10) } });
		expect(filtered.map((o) => o.json.name)).toEqual([b]);
		await emptyAndDeleteBucket(a);
		await emptyAndDeleteBucket(b);
	});

	it('deletes an empty bucket, and refuses a non-empty one with BucketNotEmpty', async () => {
		const name = await uniqueBucket('bkd');
		await putObject(name, 'keep.txt', 'x');
		const error = await runError({ resource: 'bucket', operation: 'delete', bucketName: rl(name) });
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.message).toMatch(/not empty/);
		expect(error.context?.code).toBe('BucketNotEmpty');
		expect(await bucketExists(name)).toBe(true);
		await run({ resource: 'object', operation: 'delete', bucketName: rl(name), key: 'keep.txt' });
		const [out] = await run({ resource: 'bucket', operation: 'delete', bucketName: rl(name) });
		expect(out.json).toEqual({ name, deleted: true });
		expect(await bucketExists(name)).toBe(false);
	});

	it('refuses bucket names S3 rejects before sending anything', async () => {
		for (const bad of ['UpperCase', 'ab', 'a'.repeat(64), '192.168.1.1', 'my..bucket', '-dash', 'under_score']) {
			const error = await runError({ resource: 'bucket', operation: 'create', bucketName: bad });
			expect(error.constructor.name).toBe('NodeOperationError');
			expect(error.message).toContain('Bucket Name');
			expect(await bucketExists(bad.toLowerCase()).catch(() => false)).toBe(false);
		}
	});
});
