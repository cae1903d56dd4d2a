/** Folder operations through execute(), checked against the server's state. */
import { emptyAndDeleteBucket, listAllKeys, putObject, uniqueBucket } from './helpers/s3';
import { run, runError, rl } from './helpers/node';

let bucket: string;
beforeAll(async () => {
	bucket = await uniqueBucket('fold');
});
afterAll(async () => emptyAndDeleteBucket(bucket));

describe('folder', () => {
	it('creates a folder marker, adding the trailing slash', async () => {
		const [out] = await run({ resource: 'folder', operation: 'create', bucketName: rl(bucket), folderKey: 'reports/2024' });
		expect(out.json).toMatchObject({ bucket, key: 'reports/2024/' });
		expect(await listAllKeys(bucket, 'reports/')).toEqual(['reports/2024/']);
	});

	it('lists common prefixes at the top level and under a parent', async () => {
		for (const k of ['a/1.txt', 'a/x/2.txt', 'b/3.txt', 'c.txt', 'a/y/z/4.txt']) await putObject(bucket, k, k);
		const top = await run({ resource: 'folder', operation: 'getMany', bucketName: rl(bucket), returnAll: true });
		expect(top.map((o) => o.json.prefix)).toEqual(['a/', 'b/', 'reports/']);
		const under = await run({ resource: 'folder', operation: 'getMany', bucketName: rl(bucket), returnAll: true, options: { parentFolderKey: 'a' } });
		expect(under.map((o) => o.json.prefix)).toEqual(['a/x/', 'a/y/']);
		expect(under[0].json.name).toBe('x');
		const limited = await run({ resource: 'folder', operation: 'getMany', bucketName: rl(bucket), returnAll: false, limit: 2 });
		expect(limited).toHaveLength(2);
	});

	it('deletes everything under a prefix in batches, leaving the rest', async () => {
		const keys = Array.from({ length: 2100 }, (_, i) => `big/${String(i).padStart(5, '0')}.txt`);
		await Promise.all(
			Array.from({ length: 16 }, async (_, lane) => {
				for (let i = lane; i < keys.length; i += 16) await putObject(bucket, keys[i], 'x');
			}),
		);
		await putObject(bucket, 'bigger.txt', 'stays');
		const [out] = await run({ resource: 'folder', operation: 'delete', bucketName: rl(bucket), folderKey: 'big' });
		expect((out.json.deleted as string[]).length).toBe(2100);
		expect(out.json.errors).toEqual([]);
		expect(await listAllKeys(bucket, 'big/')).toEqual([]);
		expect(await listAllKeys(bucket, 'bigger')).toEqual(['bigger.txt']);
		// 3 list pages + 3 DeleteObjects requests of at most 1000 keys
		expect(out.json.requests).toBe(6);
	});

	it('refuses an empty folder key for delete instead of emptying the bucket', async () => {
		const error = await runError({ resource: 'folder', operation: 'delete', bucketName: rl(bucket), folderKey: '  ' });
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(error.message).toContain('Folder Key');
		expect((await listAllKeys(bucket)).length).toBeGreaterThan(0);
	});
});
