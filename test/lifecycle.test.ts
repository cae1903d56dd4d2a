/** Bucket Set Lifecycle / Get Lifecycle through execute(), checked against the server's own view. */
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { emptyAndDeleteBucket, rawClient, uniqueBucket, uniqueBucketName } from './helpers/s3';
import { run, runError, rl } from './helpers/node';

/** The server's rules (raw client), or null when the bucket has none. */
async function serverRules(bucket: string) {
	try {
		const out = await rawClient().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
		return out.Rules ?? [];
	} catch (error) {
		if ((error as { name?: string }).name === 'NoSuchLifecycleConfiguration') return null;
		throw error;
	}
}

describe('bucket lifecycle', () => {
	let bucket: string;
	beforeAll(async () => {
		bucket = await uniqueBucket('lc');
	});
	afterAll(async () => {
		await emptyAndDeleteBucket(bucket);
	});

	it('gives rules: [] for a bucket without rules', async () => {
		expect(await serverRules(bucket)).toBeNull();
		const [out] = await run({ resource: 'bucket', operation: 'getLifecycle', bucketName: rl(bucket, 'list') });
		expect(out.json).toEqual({ name: bucket, rules: [] });
	});

	it('sets "abort incomplete uploads" and "expire under a prefix" rules, and reads them back', async () => {
		const lifecycleRules = {
			rule: [
				{ id: 'abort-stale-uploads', prefix: '', expireAfterDays: 0, abortIncompleteUploadsAfterDays: 1, enabled: true },
				{ id: 'expire-tmp', prefix: 'tmp/', expireAfterDays: 7, abortIncompleteUploadsAfterDays: 0, enabled: true },
				{ id: 'paused', prefix: 'logs/', expireAfterDays: 30, abortIncompleteUploadsAfterDays: 2, enabled: false },
			],
		};
		const expected = [
			{ id: 'abort-stale-uploads', prefix: '', abortIncompleteUploadsAfterDays: 1, enabled: true },
			{ id: 'expire-tmp', prefix: 'tmp/', expireAfterDays: 7, enabled: true },
			{ id: 'paused', prefix: 'logs/', expireAfterDays: 30, abortIncompleteUploadsAfterDays: 2, enabled: false },
		];
		const [set] = await run({ resource: 'bucket', operation: 'setLifecycle', bucketName: rl(bucket), lifecycleRules });
		expect(set.json).toEqual({ name: bucket, rules: expected });

		// what the server stored, in S3's terms
		const stored = (await serverRules(bucket))!;
		const byId = Object.fromEntries(stored.map((r) => [r.ID, r]));
		expect(Object.keys(byId).sort()).toEqual(['abort-stale-uploads', 'expire-tmp', 'paused']);
		expect(byId['abort-stale-uploads'].AbortIncompleteMultipartUpload?.DaysAfterInitiation).toBe(1);
		expect(byId['abort-stale-uploads'].Expiration).toBeUndefined();
		expect(byId['abort-stale-uploads'].Status).toBe('Enabled');
		expect(byId['expire-tmp'].Expiration?.Days).toBe(7);
		expect(byId['expire-tmp'].Filter?.Prefix ?? byId['expire-tmp'].Prefix).toBe('tmp/');
		expect(byId.paused.Status).toBe('Disabled');

		const [got] = await run({ resource: 'bucket', operation: 'getLifecycle', bucketName: bucket });
		expect(got.json.name).toBe(bucket);
		const rules = got.json.rules as Array<{ id: string }>;
		expect([...rules].sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected);
	});

	it('replaces the rules (not merges), names unnamed rules by position, and takes an array from an expression', async () => {
		const [set] = await run({
			resource: 'bucket',
			operation: 'setLifecycle',
			bucketName: bucket,
			lifecycleRules: [{ prefix: 'uploads/', abortIncompleteUploadsAfterDays: '3' }] as never,
		}, { applyDefaults: false }); // as an expression's result: n8n applies no defaults to it
		expect(set.json.rules).toEqual([{ id: 'rule-1', prefix: 'uploads/', abortIncompleteUploadsAfterDays: 3, enabled: true }]);
		const stored = (await serverRules(bucket))!;
		expect(stored.map((r) => r.ID)).toEqual(['rule-1']);
		const [got] = await run({ resource: 'bucket', operation: 'getLifecycle', bucketName: bucket });
		expect(got.json.rules).toEqual(set.json.rules);
	});

	it('removes all rules when the list is empty', async () => {
		expect(await serverRules(bucket)).not.toBeNull();
		const [out] = await run({ resource: 'bucket', operation: 'setLifecycle', bucketName: bucket, lifecycleRules: {} });
		expect(out.json).toEqual({ name: bucket, rules: [] });
		expect(await serverRules(bucket)).toBeNull();
		const [got] = await run({ resource: 'bucket', operation: 'getLifecycle', bucketName: bucket });
		expect(got.json.rules).toEqual([]);
	});

	it('marks a rule with settings its shape cannot show (a tag filter) as otherSettings', async () => {
		await rawClient().send(
			new PutBucketLifecycleConfigurationCommand({
				Bucket: bucket,
				LifecycleConfiguration: {
					Rules: [{ ID: 'tagged', Status: 'Enabled', Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'k', Value: 'v' }] } }, Expiration: { Days: 5 } }],
				},
			}),
		);
		const [got] = await run({ resource: 'bucket', operation: 'getLifecycle', bucketName: bucket });
		expect(got.json.rules).toEqual([{ id: 'tagged', prefix: 'a/', expireAfterDays: 5, enabled: true, otherSettings: true }]);
	});

	it('refuses bad rules with a NodeOperationError naming the parameter, and leaves the server\'s rules alone', async () => {
		await run({ resource: 'bucket', operation: 'setLifecycle', bucketName: bucket, lifecycleRules: { rule: [{ id: 'keep', abortIncompleteUploadsAfterDays: 1 }] } });
		const cases: Array<[unknown, RegExp]> = [
			[{ rule: [{ id: 'nothing', prefix: 'x/', expireAfterDays: 0, abortIncompleteUploadsAfterDays: 0 }] }, /rule "nothing" does nothing/],
			[{ rule: [{ id: 'neg', expireAfterDays: -1 }] }, /"Expire After \(Days\)" of rule "neg" must be a whole number/],
			[{ rule: [{ id: 'frac', abortIncompleteUploadsAfterDays: 1.5 }] }, /"Abort Incomplete Uploads After \(Days\)" of rule "frac"/],
			[{ rule: [{ id: 'text', expireAfterDays: 'soon' }] }, /must be a whole number of days/],
			[{ rule: [{ id: 'dup', expireAfterDays: 1 }, { id: 'dup', expireAfterDays: 2 }] }, /two rules have the ID "dup"/],
			[{ rule: [{ id: 'x'.repeat(256), expireAfterDays: 1 }] }, /longer than 255/],
			['not json', /not JSON/],
		];
		for (const [lifecycleRules, message] of cases) {
			const params = { resource: 'bucket', operation: 'setLifecycle', bucketName: bucket, lifecycleRules: lifecycleRules as never };
			const error = await runError(params, { applyDefaults: typeof lifecycleRules !== 'string' });
			expect(error.constructor.name).toBe('NodeOperationError');
			expect(error.message).toContain('Lifecycle Rules');
			expect(error.message).toMatch(message);
		}
		expect((await serverRules(bucket))!.map((r) => r.ID)).toEqual(['keep']);
	});

	it('fails on a missing bucket with NoSuchBucket, and gives { error, code } under Continue On Fail', async () => {
		const missing = uniqueBucketName('lc-missing');
		for (const operation of ['getLifecycle', 'setLifecycle']) {
			const params = { resource: 'bucket', operation, bucketName: missing, lifecycleRules: { rule: [{ id: 'a', expireAfterDays: 1 }] } };
			const error = await runError(params);
			expect(error.constructor.name).toBe('NodeApiError');
			expect(error.context?.code).toBe('NoSuchBucket');
			const [out] = await run(params, { continueOnFail: true });
			expect(out.json).toMatchObject({ code: 'NoSuchBucket', httpStatusCode: 404 });
			expect(typeof out.json.error).toBe('string');
		}
	});
});
