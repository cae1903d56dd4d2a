/**
 * Faults between the node and the S3 server, injected by a loopback proxy
 * (test/helpers/faultProxy.ts): cut connections in both directions, 503 SlowDown / 500
 * InternalError answers, 4xx answers, stalls. Scenarios live in test/helpers/faultScenarios.ts
 * (shared with test/secrets.test.ts).
 */
import type { INode } from 'n8n-workflow';
import { PassThrough, Readable } from 'stream';
import { lengthChecked, streamToBuffer } from '../nodes/shared/helpers/binary';
import { toNodeError } from '../nodes/shared/transport/errors';
import { FaultProxy } from './helpers/faultProxy';
import { faultScenarios, runFaultScenario, type FaultEnv } from './helpers/faultScenarios';
import { testConfig, uniqueBucket } from './helpers/s3';

let env: FaultEnv;

beforeAll(async () => {
	const proxy = await FaultProxy.start(testConfig().endpoint);
	env = { bucket: await uniqueBucket('faults'), proxy, credentials: {} };
});
afterAll(async () => {
	await env?.proxy.close();
});

describe(`faults (${faultScenarios.length} scenarios)`, () => {
	it.each(faultScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
		await runFaultScenario(env, scenario);
	});
});

/**
 * In n8n the node runs in the same realm as Node's core modules, so network errors keep their
 * `code` and `name`. Under jest they come from another realm and the SDK wraps them into a plain
 * Error whose text is all that is left (what the scenarios above exercise). Both shapes must be
 * explained the same way.
 */
describe('network errors as n8n sees them (code and name kept) and as jest sees them (wrapped)', () => {
	const n8nNode: INode = { id: '1', name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} };
	const target = { endpoint: 'http://127.0.0.1:9000', requestTimeout: 1500, bucket: 'b', key: 'k' };
	const explain = (error: unknown) => {
		const e = toNodeError(n8nNode, error, 0, { ...target }, []);
		expect(e.constructor.name).toBe('NodeApiError');
		return e.message;
	};
	const raw = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? '')), { $metadata: { attempts: 3, totalRetryDelay: 300 } }, fields);

	it.each([
		['ECONNRESET renamed TimeoutError by the SDK handler', raw({ name: 'TimeoutError', code: 'ECONNRESET', message: 'read ECONNRESET' })],
		['EPIPE renamed TimeoutError', raw({ name: 'TimeoutError', code: 'EPIPE', message: 'write EPIPE' })],
		['socket hang up', raw({ name: 'Error', code: 'ECONNRESET', message: 'socket hang up' })],
		['a response body aborted mid-stream', raw({ name: 'Error', code: 'ECONNRESET', message: 'aborted' })],
		['the length check of a download', raw({ name: 'Error', code: 'ECONNRESET', message: 'The download was cut short: received 10 of 20 bytes' })],
		['wrapped: ECONNRESET', new Error('AWS SDK error wrapper for TimeoutError: read ECONNRESET')],
		['wrapped: socket hang up', new Error('AWS SDK error wrapper for TimeoutError: socket hang up')],
	])('a cut connection: %s', (_label, error) => {
		expect(explain(error)).toMatch(/^The connection to http:\/\/127\.0\.0\.1:9000 was cut before the transfer finished/);
	});

	it.each([
		['socket idle timeout', raw({ name: 'TimeoutError', message: '@smithy/node-http-handler - the request socket timed out after 1500 ms of inactivity (configured by client requestHandler).' })],
		['ETIMEDOUT', raw({ name: 'Error', code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 10.0.0.1:443' })],
		['wrapped: socket idle timeout', new Error('AWS SDK error wrapper for TimeoutError: @smithy/node-http-handler - the request socket timed out after 1500 ms of inactivity')],
	])('a timeout: %s', (_label, error) => {
		expect(explain(error)).toMatch(/^The request timed out after 1500 ms without data \(the "Request Timeout" option\)/);
	});

	it('connection refused and DNS failures, bare and wrapped', () => {
		expect(explain(raw({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9000' }))).toMatch(/connection refused/);
		expect(explain(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9000'))).toMatch(/connection refused/);
		expect(explain(raw({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x.invalid' }))).toMatch(/Could not resolve the host/);
	});
});

/**
 * Node's HTTP client already fails a body that ends before its Content-Length (the scenarios above
 * show it, for a reset and for a clean close). The download's length check is the second line of
 * defence for a body stream that ends early without an error of its own.
 */
describe('the download length check (helpers/binary.ts lengthChecked)', () => {
	const body = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

	it('fails a body that ends early without an error, saying how much arrived', async () => {
		await expect(streamToBuffer(lengthChecked(body('hello', ' wor'), 11))).rejects.toMatchObject({
			message: 'The download was cut short: received 9 of 11 bytes (the connection closed before the object was complete)',
			code: 'ECONNRESET',
		});
	});

	it('fails a body longer than announced, passes an exact one, and passes anything when no length was announced', async () => {
		await expect(streamToBuffer(lengthChecked(body('hello world!'), 11))).rejects.toThrow(/received 12 of 11 bytes/);
		expect((await streamToBuffer(lengthChecked(body('hello', ' world'), 11))).toString()).toBe('hello world');
		expect((await streamToBuffer(lengthChecked(body('any'), undefined))).toString()).toBe('any');
	});

	it('keeps an error that happens while nobody reads yet for the reader, instead of throwing it (n8n\'s binary store creates the file before it reads)', async () => {
		for (const expected of [10, undefined]) {
			const source = new PassThrough();
			const checked = lengthChecked(source, expected);
			source.write('12345');
			source.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
			await new Promise((resolve) => setTimeout(resolve, 20)); // the gap (an awaited mkdir)
			await expect(streamToBuffer(checked)).rejects.toThrow('aborted');
		}
	});

	it('passes on an error of the source stream', async () => {
		const failing = new Readable({ read() { this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })); } });
		await expect(streamToBuffer(lengthChecked(failing, 10))).rejects.toThrow('aborted');
	});

	it('the node explains a cut-short body as a cut connection', () => {
		const n8nNode: INode = { id: '1', name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} };
		const error = Object.assign(new Error('The download was cut short: received 9 of 11 bytes (the connection closed before the object was complete)'), { code: 'ECONNRESET' });
		expect(toNodeError(n8nNode, error, 0, { endpoint: 'http://127.0.0.1:9000' }, []).message).toMatch(/was cut before the transfer finished/);
	});
});
