/**
 * Never hang, never mislabel (issue 13): the default idle timeout (Request Timeout, 60 s) and the
 * connection timeout, a cancelled execution reported as a cancel, and the lower-case hint on a
 * bucket name with upper-case letters or underscores. The node talks to the real RGW, through the
 * loopback fault proxy (test/helpers/faultProxy.ts) where a server must go silent.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as net from 'net';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { createS3Client, DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../nodes/shared/transport/client';
import { requestOptions } from '../nodes/S3Storage/actions/common.descriptions';
import { binaryItem } from './helpers/context';
import { forKey, FaultProxy, uploadPart, type LoggedRequest } from './helpers/faultProxy';
import { CUT } from './helpers/faultScenarios';
import { expectErrorClass, failed, invoke, succeeded, type Invocation } from './helpers/invoke';
import { rl } from './helpers/node';
import { listOpenMultipartUploads, objectExists, putObject, randomBuffer, sha256, testCredentials, uniqueBucket } from './helpers/s3';

const MiB = 1024 * 1024;
const TIMEOUT = (ms: number) => new RegExp(`^The request timed out after ${ms} ms without data \\(the "Request Timeout" option\\)`);
const CANCELLED = /^The execution was cancelled while working on "[^"]+" in bucket "[^"]+": its requests were stopped/;

const isKey = (key: string) => (r: LoggedRequest) => r.path.endsWith(`/${key}`);
const uniq = (p: string) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

let bucket: string;
let proxy: FaultProxy;
/** its own proxy, whose stall outlasts the 120 s default */
let slowProxy: FaultProxy;
let defaultStall: Promise<{ inv: Invocation; gets: number }>;

beforeAll(async () => {
	bucket = await uniqueBucket('timeouts');
	proxy = await FaultProxy.start(process.env.S3_TEST_ENDPOINT!);
	slowProxy = await FaultProxy.start(process.env.S3_TEST_ENDPOINT!, { maxStallMs: 200_000 });
	// The default-timeout case waits 2 minutes: start it now, assert it in its own test.
	const key = `${uniq('default')}/two.bin`;
	await putObject(bucket, key, randomBuffer(2 * MiB, 3));
	slowProxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'stallResponse', afterBytes: 256 * 1024 } });
	defaultStall = invoke(
		{ resource: 'object', operation: 'download', bucketName: rl(bucket), key },
		{ credentials: testCredentials({ endpoint: slowProxy.endpoint }), continueOnFail: true },
		'default timeout',
	).then((inv) => ({ inv, gets: slowProxy.count((r) => r.method === 'GET' && isKey(key)(r)) }));
	defaultStall.catch(() => undefined);
});
afterEach(() => {
	proxy.reset();
});
afterAll(async () => {
	await proxy?.close();
	await slowProxy?.close();
});

const viaProxy = (overrides: Record<string, string | boolean> = {}) => testCredentials({ endpoint: proxy.endpoint, ...overrides });

describe('the default timeouts', () => {
	it('are 120 s idle and 10 s to connect, in the client and in the node\'s options', async () => {
		expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(120_000);
		expect(DEFAULT_CONNECTION_TIMEOUT_MS).toBe(10_000);
		expect(requestOptions.find((o) => o.name === 'requestTimeout')?.default).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
		expect(requestOptions.find((o) => o.name === 'connectionTimeout')?.default).toBe(DEFAULT_CONNECTION_TIMEOUT_MS);
		// the handler's settings once resolved (after a first request), options unset and set to 0
		const settings = async (options: Parameters<typeof createS3Client>[1]) => {
			const client = createS3Client(testCredentials() as never, options);
			try {
				await client.send(new (await import('@aws-sdk/client-s3')).ListBucketsCommand({}));
				return (client.config.requestHandler as NodeHttpHandler).httpHandlerConfigs();
			} finally {
				client.destroy();
			}
		};
		expect(await settings({})).toMatchObject({ socketTimeout: 120_000, connectionTimeout: 10_000 });
		expect(await settings({ requestTimeout: 0, connectionTimeout: 0 })).toMatchObject({ socketTimeout: 0, connectionTimeout: 0 });
	});

	it('with no option set, a server silent for 4 s before answering and 4 s mid-body is waited for: the item succeeds in one attempt', async () => {
		const key = `${uniq('slow')}/two.bin`;
		const data = randomBuffer(2 * MiB, 4);
		await putObject(bucket, key, data);
		proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), times: 1, action: { kind: 'pause', ms: 4000 } });
		proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'pause', ms: 4000, afterBytes: 256 * 1024 } });
		const first = await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'base64' }, { credentials: viaProxy() });
		const second = await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'base64' }, { credentials: viaProxy() });
		for (const inv of [first, second]) {
			const [out] = succeeded(inv);
			expect(sha256(Buffer.from(out.json.data as string, 'base64'))).toBe(sha256(data));
			expect(inv.ms).toBeGreaterThanOrEqual(3900);
		}
		expect(proxy.count((r) => r.method === 'GET' && isKey(key)(r))).toBe(2);
	}, 30_000);

	it('a shorter Request Timeout set in the options: a stall longer than it fails in about that time (each of the 3 attempts), one shorter succeeds', async () => {
		const key = `${uniq('short')}/a.txt`;
		await putObject(bucket, key, 'patience');
		proxy.addRule({ match: forKey(key), times: 3, action: { kind: 'stall' } });
		const slow = await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'text', options: { requestTimeout: 1000 } }, { credentials: viaProxy() });
		expect(failed(slow).message).toMatch(TIMEOUT(1000));
		expect(slow.ms).toBeGreaterThanOrEqual(2900);
		expect(slow.ms).toBeLessThan(6000);
		proxy.reset();
		proxy.addRule({ match: forKey(key), action: { kind: 'pause', ms: 600 } });
		const [ok] = succeeded(await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'text', options: { requestTimeout: 1500 } }, { credentials: viaProxy() }));
		expect(ok.json.data).toBe('patience');
		expect(proxy.count(isKey(key))).toBe(1);
	}, 30_000);
});

describe('the connection timeout', () => {
	let listener: ChildProcess | undefined;
	const fillers: net.Socket[] = [];
	afterAll(() => {
		for (const s of fillers) s.destroy();
		listener?.kill();
	});

	it('a server that never accepts: each attempt gives up after the Connection Timeout, the item fails saying so', async () => {
		// A listening socket that never accepts, its backlog (0 → one connection) filled: further
		// connections get no SYN-ACK, as behind a firewall that drops packets.
		listener = spawn('python3', ['-c', 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)'], { stdio: ['ignore', 'pipe', 'inherit'] });
		const port = await new Promise<number>((resolve, reject) => {
			listener!.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
			listener!.once('error', reject);
		});
		await new Promise<void>((resolve) => {
			const s = net.connect(port, '127.0.0.1', () => resolve());
			fillers.push(s);
		});
		const inv = await invoke(
			{ resource: 'object', operation: 'get', bucketName: rl(bucket), key: 'x', options: { connectionTimeout: 700, maxAttempts: 2 } },
			{ credentials: testCredentials({ endpoint: `http://127.0.0.1:${port}` }) },
		);
		const error = failed(inv);
		expectErrorClass(error, 'NodeApiError');
		expect(error.message).toMatch(/^Could not connect to http:\/\/127\.0\.0\.1:\d+: the server did not accept the connection in time \(the "Connection Timeout" option\)/);
		// two attempts of 0.7 s (plus the retry back-off)
		expect(inv.ms).toBeGreaterThanOrEqual(1400);
		expect(inv.ms).toBeLessThan(5000);
	}, 20_000);
});

describe('a cancelled execution', () => {
	it('cancel mid-upload (part 2 in flight): the error says cancelled, not a network fault; the multipart upload is aborted, nothing is left', async () => {
		const key = `${uniq('cancel')}/big.bin`;
		const data = randomBuffer(12 * MiB, 5);
		proxy.addRule({ match: uploadPart(2), action: { kind: 'stall' }, label: 'slow part 2' });
		const cancel = new AbortController();
		const running = invoke(
			{ resource: 'object', operation: 'upload', bucketName: rl(bucket), key, options: { partSize: 5, concurrency: 1 } },
			{ credentials: viaProxy(), items: [await binaryItem(data, { fileName: 'big.bin' })], abortSignal: cancel.signal },
		);
		// cancel once part 2 has reached the (silent) server
		for (let i = 0; i < 200 && proxy.count((r) => r.fault === 'slow part 2') === 0; i++) await new Promise((r) => setTimeout(r, 50));
		expect(proxy.count((r) => r.fault === 'slow part 2')).toBe(1);
		const t0 = Date.now();
		cancel.abort();
		const inv = await running;
		const error = failed(inv);
		expectErrorClass(error, 'NodeOperationError');
		expect(error.message).toMatch(CANCELLED);
		expect(error.message).not.toMatch(CUT);
		expect(error.message).not.toMatch(/network|timed out|connection/i);
		expect(error.context.code).toBe('ExecutionCancelled');
		expect(Date.now() - t0).toBeLessThan(5000);
		// AbortMultipartUpload went out and the server agrees: no object, no open upload
		expect(proxy.requests.filter((r) => r.method === 'DELETE' && r.query.has('uploadId')).map((r) => r.status)).toContain(204);
		expect(await objectExists(bucket, key)).toBe(false);
		expect((await listOpenMultipartUploads(bucket)).filter((u) => u.key === key)).toEqual([]);
	}, 30_000);

	it('cancel mid-download, with Continue On Fail: the item says cancelled and has no binary', async () => {
		const key = `${uniq('cancel-dl')}/two.bin`;
		await putObject(bucket, key, randomBuffer(2 * MiB, 6));
		proxy.addRule({ match: (r) => r.method === 'GET' && forKey(key)(r), action: { kind: 'stallResponse', afterBytes: 300 * 1024 } });
		const cancel = new AbortController();
		const running = invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key }, { credentials: viaProxy(), continueOnFail: true, abortSignal: cancel.signal });
		for (let i = 0; i < 200 && proxy.count((r) => r.method === 'GET' && isKey(key)(r)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
		await new Promise((r) => setTimeout(r, 300));
		cancel.abort();
		const inv = await running;
		const out = succeeded(inv);
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(CANCELLED);
		expect(out[0].binary).toBeUndefined();
		expect(inv.ms).toBeLessThan(10_000);
	}, 30_000);
});

describe('a cancelled folder copy', () => {
	it('cancel while CopyObjects hang: the error says cancelled, at once, and no copy starts afterwards', async () => {
		const folder = `${uniq('cancel-folder')}/`;
		for (let n = 0; n < 40; n++) await putObject(bucket, `${folder}f${n}.txt`, Buffer.from(`file ${n}`));
		// every CopyObject from this folder gets no answer
		const isCopy = (r: { method: string; headers: Record<string, unknown> }) =>
			r.method === 'PUT' && String(r.headers['x-amz-copy-source'] ?? '').includes(encodeURIComponent(folder.slice(0, -1)));
		proxy.addRule({ match: isCopy, action: { kind: 'stall' }, label: 'silent copy' });
		const cancel = new AbortController();
		const running = invoke(
			{ resource: 'folder', operation: 'copy', bucketName: rl(bucket), folderKey: folder, destinationBucketName: rl(bucket), destinationFolderKey: `copy-of-${folder}`, options: { objectsInFlight: 4 } },
			{ credentials: viaProxy(), abortSignal: cancel.signal },
		);
		for (let i = 0; i < 200 && proxy.count((r) => r.fault === 'silent copy') < 4; i++) await new Promise((r) => setTimeout(r, 50));
		expect(proxy.count((r) => r.fault === 'silent copy')).toBe(4);
		const t0 = Date.now();
		cancel.abort();
		const error = failed(await running);
		expect(error.message).toMatch(/^The execution was cancelled while working on bucket "[^"]+": its requests were stopped/);
		expect(error.context.code).toBe('ExecutionCancelled');
		expect(Date.now() - t0).toBeLessThan(5000);
		await new Promise((r) => setTimeout(r, 300));
		// the 4 hanging requests and nothing after them
		expect(proxy.count((r) => r.fault === 'silent copy')).toBe(4);
	}, 30_000);
});

describe('cancelled small uploads', () => {
	it('cancel while PutObjects hang (several items at once): the error says cancelled, at once, and no request is retried', async () => {
		const folder = uniq('cancel-small');
		const isPut = (r: { method: string; path: string }) => r.method === 'PUT' && r.path.includes(`/${folder}/`);
		proxy.addRule({ match: isPut, action: { kind: 'stall' }, label: 'silent put' });
		const cancel = new AbortController();
		const params = Array.from({ length: 12 }, (_, n) => ({
			resource: 'object',
			operation: 'upload',
			bucketName: rl(bucket),
			key: rl(`${folder}/f${n}.txt`, 'key'),
			inputType: 'text',
			content: `file ${n}`,
			options: { concurrency: 4 },
		}));
		const running = invoke(params, { credentials: viaProxy(), items: params.map(() => ({ json: {} })), abortSignal: cancel.signal });
		for (let i = 0; i < 200 && proxy.count((r) => r.fault === 'silent put') < 4; i++) await new Promise((r) => setTimeout(r, 50));
		expect(proxy.count((r) => r.fault === 'silent put')).toBe(4);
		const t0 = Date.now();
		cancel.abort();
		const error = failed(await running);
		expect(error.message).toMatch(CANCELLED);
		expect(error.context.code).toBe('ExecutionCancelled');
		expect(Date.now() - t0).toBeLessThan(5000);
		// the SDK's retries of the stopped requests (they would come after ≈ 100 ms) never go out
		await new Promise((r) => setTimeout(r, 1500));
		expect(proxy.count((r) => r.fault === 'silent put')).toBe(4);
	}, 30_000);
});

describe('bucket names with upper-case letters or underscores', () => {
	const HINT = (name: string, suggestion: string) =>
		new RegExp(`Bucket names are normally lower case, without underscores \\((upper-case letters|underscores) in "${name}"\\): did you mean "${suggestion}"\\?`);

	it.each([
		['upload', 'RelProbe-Upper', 'relprobe-upper'],
		['upload', 'rel_probe_under', 'rel-probe-under'],
		['download', 'RelProbe-Upper', 'relprobe-upper'],
		['get', 'RelProbe-Upper', 'relprobe-upper'],
	])('object %s on bucket "%s": the message adds the lower-case hint', async (operation, name, suggestion) => {
		const params = operation === 'upload' ? { inputType: 'text', content: 'x' } : {};
		const inv = await invoke({ resource: 'object', operation, bucketName: rl(name), key: 'k.txt', ...params }, { credentials: testCredentials(), continueOnFail: true });
		const [out] = succeeded(inv);
		expect(out.json.error).toMatch(HINT(name, suggestion));
		expect([400, 404]).toContain(out.json.httpStatusCode);
	});

	it('a lower-case bucket that does not exist gets no such hint', async () => {
		const inv = await invoke({ resource: 'object', operation: 'upload', bucketName: rl(`nope-${Date.now()}`), key: 'k.txt', inputType: 'text', content: 'x' }, { credentials: testCredentials(), continueOnFail: true });
		const [out] = succeeded(inv);
		expect(out.json.error).toMatch(/^Bucket "nope-\d+" does not exist/);
		expect(out.json.error).not.toMatch(/lower case/);
	});
});

// Last, so that the two minutes it waits overlap the tests above (it starts in beforeAll).
describe('the default idle timeout, end to end', () => {
	it(
		'with no option set, a download that goes silent mid-body fails after the 120 s default, naming it; no partial binary is passed on',
		async () => {
			// started in beforeAll (it waits 2 minutes, while the other tests run)
			const { inv, gets } = await defaultStall;
			const out = succeeded(inv);
			expect(out).toHaveLength(1);
			expect(out[0].json.error).toMatch(TIMEOUT(120_000));
			expect(out[0].binary).toBeUndefined();
			// one GET (a body already flowing is not retried), failed in about 120 s
			expect(gets).toBe(1);
			expect(inv.ms).toBeGreaterThanOrEqual(119_500);
			expect(inv.ms).toBeLessThan(126_000);
		},
		150_000,
	);
});
