/**
 * Fault scenarios: the node talks to the S3 server through the loopback fault proxy
 * (test/helpers/faultProxy.ts), which cuts connections, throttles, fails or stalls chosen
 * requests. Each scenario arranges the faults, runs the node and asserts what a user must be able
 * to rely on: a clear failure (or a recovery through the SDK's retries), nothing half-written on
 * the server, nothing truncated passed on, every other item intact.
 *
 * Shared by test/faults.test.ts and test/secrets.test.ts (which runs them all with recognisable
 * secrets and scans what the node emitted).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { binaryItem, readBinary, type BinaryMode } from './context';
import { forKey, internalError, slowDown, uploadPart, type FaultProxy, type LoggedRequest } from './faultProxy';
import { expectErrorClass, failed, invoke, succeeded, type Invocation, type Recorder } from './invoke';
import { rl } from './node';
import { getObjectBuffer, listOpenMultipartUploads, objectExists, putObject, randomBuffer, sha256, testCredentials } from './s3';

export interface FaultEnv {
	/** a bucket the scenarios may write to */
	bucket: string;
	proxy: FaultProxy;
	/** credential fields every invocation uses (the secrets suite puts its recognisable keys here) */
	credentials: Partial<Record<string, string | boolean>>;
	recorder?: Recorder;
}

export interface FaultScenario {
	name: string;
	run: (env: FaultEnv) => Promise<void>;
}

const MiB = 1024 * 1024;

/** "connection ... was cut" (errors.ts explains ECONNRESET / EPIPE / aborted streams so). */
export const CUT = /^The connection to http:\/\/127\.0\.0\.1:\d+ was cut before the transfer finished \(network error\)/;

interface GoOptions {
	items?: INodeExecutionData[];
	binaryMode?: BinaryMode;
	continueOnFail?: boolean;
	credentials?: Partial<Record<string, string | boolean>>;
}

/** Runs the node through the proxy (recorded in env.recorder). */
async function go(env: FaultEnv, label: string, params: INodeParameters | INodeParameters[], o: GoOptions = {}): Promise<Invocation> {
	const credentials = testCredentials({ ...env.credentials, endpoint: env.proxy.endpoint, ...o.credentials });
	const inv = await invoke(params, { credentials, items: o.items, binaryMode: o.binaryMode, continueOnFail: o.continueOnFail }, label);
	env.recorder?.record(inv);
	return inv;
}

const upload = (env: FaultEnv, key: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation: 'upload',
	bucketName: rl(env.bucket),
	key,
	...extra,
});

const download = (env: FaultEnv, key: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation: 'download',
	bucketName: rl(env.bucket),
	key,
	...extra,
});

const isPart = (r: LoggedRequest, n?: number) =>
	r.method === 'PUT' && r.query.has('partNumber') && (n === undefined || r.query.get('partNumber') === String(n));
const isAbort = (r: LoggedRequest) => r.method === 'DELETE' && r.query.has('uploadId');
const toKey = (key: string) => (r: LoggedRequest) => r.path.endsWith(`/${key}`);

/** Asserts that an AbortMultipartUpload was sent and the server accepted the first one (204). */
function expectAborted(env: FaultEnv): void {
	const aborts = env.proxy.requests.filter(isAbort);
	expect(aborts.length).toBeGreaterThanOrEqual(1);
	expect(aborts[0].status).toBe(204);
}

/** Asserts that nothing is left at the key: no object, no open multipart upload. */
async function expectNothingLeft(env: FaultEnv, key: string): Promise<void> {
	expect(await objectExists(env.bucket, key)).toBe(false);
	expect((await listOpenMultipartUploads(env.bucket)).filter((u) => u.key === key)).toEqual([]);
}

const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/* ------------------------------------------------------------------------------------------ */

const baseline: FaultScenario[] = [
	{
		name: 'without faults the proxy is transparent: a 6 MiB multipart upload and its download round-trip',
		run: async (env) => {
			const key = `${uniq('clean')}/round.bin`;
			const data = randomBuffer(6 * MiB + 17, 11);
			const [up] = succeeded(await go(env, 'clean upload', upload(env, key, { options: { partSize: 5 } }), { items: [await binaryItem(data, { fileName: 'round.bin' })] }));
			expect(up.json).toMatchObject({ key, size: data.length });
			expect(up.json.etag).toMatch(/^[0-9a-f]{32}-2$/);
			const [down] = succeeded(await go(env, 'clean download', download(env, key)));
			expect(sha256(await readBinary(down.binary?.data))).toBe(sha256(data));
			expect(env.proxy.count(isPart)).toBe(2);
			expect(env.proxy.count((r) => r.fault !== undefined)).toBe(0);
		},
	},
];

const cutUploads: FaultScenario[] = [
	{
		name: 'multipart upload (12 MiB from the filesystem store, 5 MiB parts) with part 2 cut after 1 MiB on every attempt: fails saying so, aborted, nothing left',
		run: async (env) => {
			const key = `${uniq('mp-cut')}/big.bin`;
			const data = randomBuffer(12 * MiB + 4321, 7);
			env.proxy.addRule({ match: uploadPart(2), action: { kind: 'cutRequest', afterBytes: MiB }, label: 'cut part 2' });
			const inv = await go(env, 'multipart cut', upload(env, key, { options: { partSize: 5 } }), {
				items: [await binaryItem(data, { fileName: 'big.bin', mode: 'filesystem' })],
				binaryMode: 'filesystem',
			});
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
			expect(error.message).toMatch(/nothing partial was kept; run the item again/);
			// a network error is retried: 3 attempts (maxAttempts default), each cut
			expect(env.proxy.count((r) => isPart(r, 2))).toBe(3);
			expect(env.proxy.count((r) => isPart(r, 2) && r.fault === 'cut part 2')).toBe(3);
			// the upload was aborted (AbortMultipartUpload; lib-storage and the node may both send one:
			// the first succeeds, a second gets NoSuchUpload) ...
			expectAborted(env);
			// ... and the server agrees: no object, no open upload
			await expectNothingLeft(env, key);
		},
	},
	{
		name: 'multipart upload (memory binary) with Max Attempts 1 and every part but one cut: fails at once, aborted, nothing left',
		run: async (env) => {
			const key = `${uniq('mp-cut1')}/big.bin`;
			const data = randomBuffer(12 * MiB, 8);
			env.proxy.addRule({ match: uploadPart(), skip: 1, action: { kind: 'cutRequest', afterBytes: 64 * 1024 }, label: 'cut part' });
			const inv = await go(env, 'multipart cut, 1 attempt', upload(env, key, { options: { partSize: 5, maxAttempts: 1 } }), {
				items: [await binaryItem(data, { fileName: 'big.bin' })],
			});
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
			expect(env.proxy.count(isPart)).toBe(3); // 3 parts, one attempt each
			expect(env.proxy.count((r) => isPart(r) && r.fault === 'cut part')).toBe(2);
			expectAborted(env);
			await expectNothingLeft(env, key);
		},
	},
	{
		name: 'single-request upload (PutObject, 300 kB) cut after 50 kB on every attempt: fails saying so, no object',
		run: async (env) => {
			const key = `${uniq('put-cut')}/small.txt`;
			env.proxy.addRule({ match: (r) => r.method === 'PUT' && forKey(key)(r), action: { kind: 'cutRequest', afterBytes: 50_000 } });
			const inv = await go(env, 'put cut', upload(env, key, { inputType: 'text', content: 'y'.repeat(300_000) }));
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
			expect(env.proxy.count((r) => r.method === 'PUT' && toKey(key)(r))).toBe(3);
			await expectNothingLeft(env, key);
		},
	},
];

/** Puts an object for a download scenario and returns its bytes. */
async function arrangeObject(env: FaultEnv, key: string, size: number, seed: number): Promise<Buffer> {
	const data = randomBuffer(size, seed);
	await putObject(env.bucket, key, data, { contentType: 'application/octet-stream' });
	return data;
}

const cutDownloads: FaultScenario[] = [
	{
		name: 'download (binary, memory mode) cut after 1 MiB of 3 MiB: fails saying so, one request (a started body is not retried)',
		run: async (env) => {
			const key = `${uniq('dl-cut')}/three.bin`;
			await arrangeObject(env, key, 3 * MiB, 21);
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'cutResponse', afterBytes: MiB } });
			const error = failed(await go(env, 'download cut', download(env, key)));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
			expect(env.proxy.count(toKey(key))).toBe(1);
		},
	},
	{
		name: 'download (binary, filesystem mode) cut mid-stream under Continue On Fail: an error item, no binary passed on',
		run: async (env) => {
			const key = `${uniq('dl-cut-fs')}/three.bin`;
			await arrangeObject(env, key, 3 * MiB, 22);
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'cutResponse', afterBytes: 1_500_000 } });
			const out = succeeded(await go(env, 'download cut fs', download(env, key), { binaryMode: 'filesystem', continueOnFail: true }));
			expect(out).toHaveLength(1);
			expect(out[0].json.error).toMatch(CUT);
			expect(out[0].binary).toBeUndefined();
			// no data, no size, nothing that looks like a result: the error (and the network error's code)
			expect(Object.keys(out[0].json).filter((k) => k !== 'error' && k !== 'code')).toEqual([]);
			expect(out[0].json.httpStatusCode).toBeUndefined();
			expect(out[0].pairedItem).toEqual({ item: 0 });
		},
	},
	{
		name: 'download (base64 output) whose connection the server closes cleanly (FIN, no reset) mid-body: fails saying so',
		run: async (env) => {
			const key = `${uniq('dl-fin')}/fin.bin`;
			await arrangeObject(env, key, 2 * MiB, 23);
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'cutResponse', afterBytes: 700_000, graceful: true } });
			const inv = await go(env, 'download fin', download(env, key, { outputType: 'base64' }));
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
			expect(inv.output).toEqual([]);
		},
	},
	{
		name: 'download (text output) cut after the headers, before any byte of the body: fails saying so',
		run: async (env) => {
			const key = `${uniq('dl-cut-0')}/text.txt`;
			await putObject(env.bucket, key, 'z'.repeat(200_000), { contentType: 'text/plain' });
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'cutResponse', afterBytes: 0 } });
			const error = failed(await go(env, 'download cut 0', download(env, key, { outputType: 'text' })));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(CUT);
		},
	},
];

const retries: FaultScenario[] = [
	{
		name: '503 SlowDown on the first two attempts: the download succeeds with the default 3 attempts (3 requests)',
		run: async (env) => {
			const key = `${uniq('slow')}/a.txt`;
			await putObject(env.bucket, key, 'after the storm', { contentType: 'text/plain' });
			env.proxy.addRule({ match: forKey(key), times: 2, action: slowDown() });
			const [out] = succeeded(await go(env, '503 x2', download(env, key, { outputType: 'text' })));
			expect(out.json.data).toBe('after the storm');
			expect(env.proxy.requests.filter(toKey(key)).map((r) => r.status)).toEqual([503, 503, 200]);
		},
	},
	{
		name: '500 InternalError on the first two attempts: the upload succeeds with the default 3 attempts (3 requests)',
		run: async (env) => {
			const key = `${uniq('ise')}/b.txt`;
			env.proxy.addRule({ match: forKey(key), times: 2, action: internalError() });
			const [out] = succeeded(await go(env, '500 x2', upload(env, key, { inputType: 'text', content: 'stored at last' })));
			expect(out.json).toMatchObject({ key, size: 14 });
			expect((await getObjectBuffer(env.bucket, key)).toString()).toBe('stored at last');
			expect(env.proxy.requests.filter(toKey(key)).map((r) => r.status)).toEqual([500, 500, 200]);
		},
	},
	{
		name: '503 SlowDown on the first two attempts with Max Attempts 2: fails with SlowDown after 2 requests',
		run: async (env) => {
			const key = `${uniq('slow2')}/a.txt`;
			await putObject(env.bucket, key, 'x');
			env.proxy.addRule({ match: forKey(key), times: 2, action: slowDown() });
			const error = failed(await go(env, '503 x2, 2 attempts', download(env, key, { options: { maxAttempts: 2 } })));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(/throttling requests \(SlowDown\) and retries were exhausted/);
			expect(error.message).toMatch(/"Max Attempts"/);
			expect(error.context.code).toBe('SlowDown');
			expect(error.httpCode).toBe('503');
			expect(env.proxy.count(toKey(key))).toBe(2);
		},
	},
	{
		name: '500 InternalError on the first two attempts with Max Attempts 2: fails with InternalError after 2 requests',
		run: async (env) => {
			const key = `${uniq('ise2')}/b.txt`;
			env.proxy.addRule({ match: forKey(key), times: 2, action: internalError() });
			const error = failed(await go(env, '500 x2, 2 attempts', upload(env, key, { inputType: 'text', content: 'x', options: { maxAttempts: 2 } })));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(/InternalError/);
			expect(error.context.code).toBe('InternalError');
			expect(error.httpCode).toBe('500');
			expect(env.proxy.count(toKey(key))).toBe(2);
			expect(await objectExists(env.bucket, key)).toBe(false);
		},
	},
	{
		name: 'retry mode "adaptive" also gets through two 503s (3 requests)',
		run: async (env) => {
			const key = `${uniq('adaptive')}/a.txt`;
			await putObject(env.bucket, key, 'adaptive');
			env.proxy.addRule({ match: forKey(key), times: 2, action: slowDown() });
			const [out] = succeeded(await go(env, 'adaptive', download(env, key, { outputType: 'text', options: { retryMode: 'adaptive' } })));
			expect(out.json.data).toBe('adaptive');
			expect(env.proxy.count(toKey(key))).toBe(3);
		},
	},
	{
		name: 'a connection reset before any answer on the first two attempts is retried: the download succeeds (3 requests)',
		run: async (env) => {
			const key = `${uniq('reset')}/a.txt`;
			await putObject(env.bucket, key, 'reset twice');
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), times: 2, action: { kind: 'cutRequest', afterBytes: 0 } });
			const [out] = succeeded(await go(env, 'reset x2', download(env, key, { outputType: 'text' })));
			expect(out.json.data).toBe('reset twice');
			expect(env.proxy.count(toKey(key))).toBe(3);
		},
	},
	{
		name: '4xx is never retried: NoSuchKey (404) is one request',
		run: async (env) => {
			const key = `${uniq('nokey')}/missing.txt`;
			const error = failed(await go(env, '404', download(env, key)));
			expectErrorClass(error, 'NodeApiError');
			expect(error.context.code).toBe('NoSuchKey');
			expect(env.proxy.count(toKey(key))).toBe(1);
		},
	},
	{
		name: '4xx is never retried: a wrong secret (403 SignatureDoesNotMatch) is one request',
		run: async (env) => {
			const key = `${uniq('badsig')}/a.txt`;
			const error = failed(
				await go(env, '403 signature', upload(env, key, { inputType: 'text', content: 'x' }), {
					credentials: { secretAccessKey: `${String(env.credentials.secretAccessKey ?? 'secret')}-but-wrong` },
				}),
			);
			expectErrorClass(error, 'NodeApiError');
			expect(error.context.code).toBe('SignatureDoesNotMatch');
			expect(error.message).toMatch(/check the secret access key/);
			expect(env.proxy.count(toKey(key))).toBe(1);
		},
	},
	{
		name: '4xx is never retried: 403 AccessDenied and 400 InvalidArgument are one request each',
		run: async (env) => {
			const denied = `${uniq('denied')}/a.txt`;
			const invalid = `${uniq('invalid')}/a.txt`;
			env.proxy.addRule({ match: forKey(denied), action: { kind: 'respond', status: 403, code: 'AccessDenied', message: 'Access Denied' } });
			env.proxy.addRule({ match: forKey(invalid), action: { kind: 'respond', status: 400, code: 'InvalidArgument', message: 'Invalid Argument' } });
			const e1 = failed(await go(env, '403 denied', download(env, denied)));
			expectErrorClass(e1, 'NodeApiError');
			expect(e1.message).toMatch(/^Access denied to "[^"]+" in bucket "[^"]+": the keys are valid but lack permission/);
			expect(e1.httpCode).toBe('403');
			const e2 = failed(await go(env, '400 invalid', download(env, invalid)));
			expectErrorClass(e2, 'NodeApiError');
			expect(e2.context.code).toBe('InvalidArgument');
			expect(e2.httpCode).toBe('400');
			expect(env.proxy.count(toKey(denied))).toBe(1);
			expect(env.proxy.count(toKey(invalid))).toBe(1);
		},
	},
];

const TIMEOUT = (ms: number) => new RegExp(`^The request timed out after ${ms} ms without data \\(the "Request Timeout" option\\)`);

const stalls: FaultScenario[] = [
	{
		name: 'a stalled server (never answers): fails within the Request Timeout (1500 ms, 1 attempt) naming the option',
		run: async (env) => {
			const key = `${uniq('stall')}/a.txt`;
			env.proxy.addRule({ match: forKey(key), action: { kind: 'stall' } });
			const inv = await go(env, 'stall', download(env, key, { options: { requestTimeout: 1500, maxAttempts: 1 } }));
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(TIMEOUT(1500));
			expect(inv.ms).toBeGreaterThanOrEqual(1400);
			expect(inv.ms).toBeLessThan(4000);
			expect(env.proxy.count(toKey(key))).toBe(1);
		},
	},
	{
		name: 'a stalled server with the default 3 attempts: each attempt times out (3 requests), all within ~3 × the timeout',
		run: async (env) => {
			const key = `${uniq('stall3')}/a.txt`;
			env.proxy.addRule({ match: forKey(key), action: { kind: 'stall' } });
			const inv = await go(env, 'stall x3', upload(env, key, { inputType: 'text', content: 'never', options: { requestTimeout: 800 } }));
			const error = failed(inv);
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(TIMEOUT(800));
			expect(env.proxy.count(toKey(key))).toBe(3);
			expect(inv.ms).toBeGreaterThanOrEqual(3 * 800 - 100);
			expect(inv.ms).toBeLessThan(3 * 800 + 3000);
			expect(await objectExists(env.bucket, key)).toBe(false);
		},
	},
	{
		name: 'a stall on the first attempt only: the retry gets through (2 requests)',
		run: async (env) => {
			const key = `${uniq('stall1')}/a.txt`;
			await putObject(env.bucket, key, 'second time lucky');
			env.proxy.addRule({ match: forKey(key), times: 1, action: { kind: 'stall' } });
			const [out] = succeeded(await go(env, 'stall once', download(env, key, { outputType: 'text', options: { requestTimeout: 800 } })));
			expect(out.json.data).toBe('second time lucky');
			expect(env.proxy.count(toKey(key))).toBe(2);
		},
	},
	{
		name: 'a download that goes silent mid-body: fails within the Request Timeout, no binary passed on',
		run: async (env) => {
			const key = `${uniq('stallbody')}/two.bin`;
			await arrangeObject(env, key, 2 * MiB, 31);
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'stallResponse', afterBytes: 512 * 1024 } });
			const inv = await go(env, 'stall mid-body', download(env, key, { options: { requestTimeout: 1000 } }), { continueOnFail: true });
			const out = succeeded(inv);
			expect(out[0].json.error).toMatch(TIMEOUT(1000));
			expect(out[0].binary).toBeUndefined();
			expect(inv.ms).toBeLessThan(4000);
		},
	},
];

const continueOnFail: FaultScenario[] = [
	{
		name: 'Continue On Fail, downloads: one key cut mid-stream, the five others complete, correct and paired',
		run: async (env) => {
			const prefix = uniq('cof-dl');
			const keys = Array.from({ length: 6 }, (_, i) => `${prefix}/${i}.bin`);
			const datas = await Promise.all(keys.map(async (k, i) => await arrangeObject(env, k, 300_000 + i * 1000, 40 + i)));
			env.proxy.addRule({ match: (r) => r.method === 'GET' && forKey(keys[3])(r), action: { kind: 'cutResponse', afterBytes: 100_000 } });
			const out = succeeded(
				await go(env, 'cof downloads', keys.map((k) => download(env, k, { options: { concurrency: 6 } })), {
					items: keys.map((k) => ({ json: { k } })),
					continueOnFail: true,
				}),
			);
			expect(out).toHaveLength(6);
			for (let i = 0; i < 6; i++) {
				expect(out[i].pairedItem).toEqual({ item: i });
				if (i === 3) {
					expect(out[i].json.error).toMatch(CUT);
					expect(out[i].binary).toBeUndefined();
					continue;
				}
				expect(out[i].json).toMatchObject({ key: keys[i], size: datas[i].length });
				expect(out[i].json.error).toBeUndefined();
				expect(sha256(await readBinary(out[i].binary?.data))).toBe(sha256(datas[i]));
			}
		},
	},
	{
		name: 'Continue On Fail, uploads: one key fails with 500 on every attempt, the four others are stored; the failed one is not',
		run: async (env) => {
			const prefix = uniq('cof-up');
			const keys = Array.from({ length: 5 }, (_, i) => `${prefix}/${i}.txt`);
			env.proxy.addRule({ match: forKey(keys[2]), action: internalError() });
			const out = succeeded(
				await go(env, 'cof uploads', keys.map((k, i) => upload(env, k, { inputType: 'text', content: `content ${i}` })), {
					items: keys.map(() => ({ json: {} })),
					continueOnFail: true,
				}),
			);
			expect(out).toHaveLength(5);
			expect(out.map((o) => o.pairedItem)).toEqual(keys.map((_, i) => ({ item: i })));
			expect(out[2].json).toEqual({ error: expect.stringMatching(/InternalError/), code: 'InternalError', httpStatusCode: 500 });
			for (const i of [0, 1, 3, 4]) {
				expect(out[i].json).toMatchObject({ bucket: env.bucket, key: keys[i], size: `content ${i}`.length });
				expect((await getObjectBuffer(env.bucket, keys[i])).toString()).toBe(`content ${i}`);
			}
			expect(await objectExists(env.bucket, keys[2])).toBe(false);
			expect(env.proxy.count(toKey(keys[2]))).toBe(3);
		},
	},
	{
		name: 'without Continue On Fail the same failure stops the execution with the failing item\'s index',
		run: async (env) => {
			const prefix = uniq('stop');
			const keys = Array.from({ length: 3 }, (_, i) => `${prefix}/${i}.txt`);
			env.proxy.addRule({ match: forKey(keys[1]), action: internalError() });
			const error = failed(
				await go(env, 'stop on failure', keys.map((k) => upload(env, k, { inputType: 'text', content: 'x', options: { maxAttempts: 1 } })), {
					items: keys.map(() => ({ json: {} })),
				}),
			);
			expectErrorClass(error, 'NodeApiError');
			expect(error.context.itemIndex).toBe(1);
			expect(error.context.code).toBe('InternalError');
		},
	},
];

export const faultScenarios: FaultScenario[] = [...baseline, ...cutUploads, ...cutDownloads, ...retries, ...stalls, ...continueOnFail];

/** Runs one scenario with a clean proxy (rules and request log reset before and after). */
export async function runFaultScenario(env: FaultEnv, scenario: FaultScenario): Promise<void> {
	env.proxy.reset();
	try {
		await scenario.run(env);
	} catch (error) {
		(error as Error).message += `\n\nrequests seen by the fault proxy:\n${env.proxy.describe()}`;
		throw error;
	} finally {
		env.proxy.reset();
	}
}
