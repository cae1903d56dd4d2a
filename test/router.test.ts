/**
 * The router: item loop, pairing, Continue On Fail, concurrency; plus the credential test and
 * list search methods.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { emptyAndDeleteBucket, getObjectBuffer, putObject, testCredentials, uniqueBucket } from './helpers/s3';
import { node, run, runError, rl } from './helpers/node';

let bucket: string;
beforeAll(async () => {
	bucket = await uniqueBucket('router');
});
afterAll(async () => emptyAndDeleteBucket(bucket));

describe('router', () => {
	it('runs once per item with per-item parameters, keeping order and pairedItem under concurrency', async () => {
		const n = 40;
		const items = Array.from({ length: n }, (_, i) => ({ json: { i } }));
		const params = items.map((_, i) => ({
			resource: 'object',
			operation: 'upload',
			bucketName: rl(bucket),
			key: `conc/${i}.txt`,
			inputType: 'text',
			// larger bodies finish later, so completion order differs from input order
			content: 'x'.repeat((n - i) * 2000),
			options: { concurrency: 8 },
		}));
		const out = await run(params, { items });
		expect(out.map((o) => o.json.key)).toEqual(items.map((_, i) => `conc/${i}.txt`));
		expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect((await getObjectBuffer(bucket, 'conc/39.txt')).length).toBe(2000);
	});

	it('with Continue On Fail, a failing item becomes { error, code, httpStatusCode } and the others succeed', async () => {
		await putObject(bucket, 'cof/ok-0.txt', 'zero');
		await putObject(bucket, 'cof/ok-2.txt', 'two');
		const keys = ['cof/ok-0.txt', 'cof/missing.txt', 'cof/ok-2.txt', ''];
		const out = await run(
			keys.map((key) => ({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'text', options: { concurrency: 4 } })),
			{ items: keys.map((key) => ({ json: { key } })), continueOnFail: true },
		);
		expect(out).toHaveLength(4);
		expect(out[0].json.data).toBe('zero');
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json).toMatchObject({ code: 'NoSuchKey', httpStatusCode: 404 });
		expect(out[1].json.error).toContain('cof/missing.txt');
		expect(out[1].json.data).toBeUndefined();
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[2].json.data).toBe('two');
		expect(out[3].json.error).toMatch(/Key is empty/);
		expect(out[3].json.code).toBeUndefined();
		expect(out[3].pairedItem).toEqual({ item: 3 });
	});

	it('without Continue On Fail, the first failure stops the execution with its item index', async () => {
		const error = await runError(
			[0, 1].map((i) => ({ resource: 'object', operation: 'get', bucketName: rl(bucket), key: `stop/missing-${i}.txt` })),
			{ items: [{ json: {} }, { json: {} }] },
		);
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.context?.itemIndex).toBe(0);
	});

	it('returns no items for no input', async () => {
		expect(await run({ resource: 'bucket', operation: 'getMany', returnAll: true }, { items: [] })).toEqual([]);
	});
});

describe('credential test', () => {
	const test = (data: Record<string, unknown>) =>
		node.methods.credentialTest.s3StorageApiTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'S3',
			type: 's3StorageApi',
			data,
		} as ICredentialsDecrypted);

	it('passes with good keys', async () => {
		expect(await test(testCredentials())).toMatchObject({ status: 'OK' });
	});

	it('says which part is wrong: secret, access key, endpoint', async () => {
		const wrongSecret = await test(testCredentials({ secretAccessKey: 'wrong-secret-123456' }));
		expect(wrongSecret.status).toBe('Error');
		expect(wrongSecret.message).toMatch(/secret access key/);
		expect(wrongSecret.message).not.toContain('wrong-secret-123456');
		const wrongKey = await test(testCredentials({ accessKeyId: 'NOSUCHKEY' }));
		expect(wrongKey.message).toMatch(/access key ID/);
		const noScheme = await test(testCredentials({ endpoint: '127.0.0.1:9' }));
		expect(noScheme.message).toMatch(/no scheme/);
		const closed = await test(testCredentials({ endpoint: 'http://127.0.0.1:9' }));
		expect(closed.message).toMatch(/connection refused/);
	});
});

describe('list search', () => {
	const ctx = (params: Record<string, unknown>) =>
		({
			getCredentials: async () => testCredentials(),
			getCurrentNodeParameter: (name: string) => {
				const v = params[name] as { value?: string } | string | undefined;
				return typeof v === 'object' ? v?.value : v;
			},
		}) as unknown as ILoadOptionsFunctions;

	it('finds buckets by part of their name', async () => {
		const res = await node.methods.listSearch.searchBuckets.call(ctx({}), bucket.slice(-8));
		expect(res.results.map((r) => r.value)).toEqual([bucket]);
	});

	it('lists keys under the typed prefix, page by page', async () => {
		for (let i = 0; i < 5; i++) await putObject(bucket, `pick/${i}.txt`, 'x');
		const res = await node.methods.listSearch.searchKeys.call(ctx({ bucketName: rl(bucket) }), 'pick/');
		expect(res.results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4].map((i) => `pick/${i}.txt`));
		const src = await node.methods.listSearch.searchSourceKeys.call(ctx({ sourceBucketName: bucket }), 'pick/3');
		expect(src.results.map((r) => r.value)).toEqual(['pick/3.txt']);
	});
});
