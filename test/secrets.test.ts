/**
 * Secrets never leak: every invocation of the bad-input table (test/helpers/badInputCases.ts) and of
 * the fault scenarios (test/helpers/faultScenarios.ts) runs again, with all their assertions, using
 * a recognisable secret access key ("SECRET-abc123-...", a real key pair added to the RGW test user,
 * see test/helpers/secretKeys.ts), a recognisable session token and, where a case needs a wrong
 * secret, a recognisable wrong one. Afterwards everything the node emitted is scanned: error
 * messages, descriptions and every other property of the errors, output items (JSON and binary
 * metadata), the context's log lines, and anything written to the console.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { badInputCases, deleteManyAtScale, prepareCaseEnv, runBadInputCase, type CaseEnv } from './helpers/badInputCases';
import { FaultProxy } from './helpers/faultProxy';
import { faultScenarios, runFaultScenario, type FaultEnv } from './helpers/faultScenarios';
import { exposedText, invoke, Recorder, succeeded } from './helpers/invoke';
import { node, rl } from './helpers/node';
import { isCephRgw, testConfig, testCredentials, uniqueBucket } from './helpers/s3';
import { recognisableKeys, type RecognisableKeys } from './helpers/secretKeys';

let keys: RecognisableKeys;
let proxy: FaultProxy;
let caseEnv: CaseEnv;
let faultEnv: FaultEnv;
const recorder = new Recorder();
const consoleSpies: jest.SpyInstance[] = [];

beforeAll(async () => {
	keys = await recognisableKeys();
	proxy = await FaultProxy.start(testConfig().endpoint);
	const credentials = { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken };
	caseEnv = await prepareCaseEnv({ credentials, wrongSecret: keys.wrongSecret, proxy, recorder });
	faultEnv = { bucket: await uniqueBucket('secrets-faults'), proxy, credentials, recorder };
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		consoleSpies.push(
			jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
				recorder.consoleLines.push(`${method}: ${args.map((a) => (typeof a === 'string' ? a : String((a as Error)?.stack ?? JSON.stringify(a)))).join(' ')}`);
			}),
		);
	}
});
afterAll(async () => {
	for (const spy of consoleSpies) spy.mockRestore();
	await proxy?.close();
	await keys?.remove();
});
afterEach(() => {
	proxy.reset();
});

const secretsToFind = () =>
	[
		['secret access key', keys.secretAccessKey],
		['session token', keys.sessionToken],
		['wrong secret access key', keys.wrongSecret],
	] as const;

describe('the recognisable credentials', () => {
	it('are real: a key pair with a "SECRET-abc123-..." secret on this RGW (else the server\'s own secret), and RGW accepts the session token', async () => {
		if (isCephRgw()) {
			expect(keys.created).toBe(true);
			expect(keys.secretAccessKey).toMatch(/^SECRET-abc123-/);
		}
		const creds = testCredentials({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken });
		const up = await invoke(
			{ resource: 'object', operation: 'upload', bucketName: rl(caseEnv.bucket), key: 'secrets/hello.txt', inputType: 'text', content: 'hello' },
			{ credentials: creds },
			'upload with the recognisable keys',
		);
		recorder.record(up);
		expect(succeeded(up)[0].json).toMatchObject({ key: 'secrets/hello.txt', size: 5 });
		const down = await invoke(
			{ resource: 'object', operation: 'download', bucketName: rl(caseEnv.bucket), key: 'secrets/hello.txt', outputType: 'text' },
			{ credentials: creds },
			'download with the recognisable keys',
		);
		recorder.record(down);
		expect(succeeded(down)[0].json.data).toBe('hello');
	});
});

describe(`bad-input cases with recognisable secrets (${badInputCases.length})`, () => {
	it.each(badInputCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		await runBadInputCase(caseEnv, c);
	});

	it('deleteMany with 2,500 keys (250 of them stored: the same three requests; storing all 2,500 again would only slow the suite)', async () => {
		await deleteManyAtScale(caseEnv, { existing: 250 });
	});
});

describe(`fault scenarios with recognisable secrets (${faultScenarios.length})`, () => {
	it.each(faultScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
		await runFaultScenario(faultEnv, scenario);
	});
});

describe('credential test', () => {
	const credentialTest = async (data: Record<string, unknown>) =>
		await node.methods.credentialTest.s3StorageApiTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'S3',
			type: 's3StorageApi',
			data,
		} as ICredentialsDecrypted);

	it('never echoes the secret or the token: wrong secret, keys pasted into the endpoint, closed port', async () => {
		const base = { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken };
		const results = [
			await credentialTest(testCredentials({ ...base, secretAccessKey: keys.wrongSecret })),
			await credentialTest(testCredentials({ ...base, endpoint: `${keys.accessKeyId}:${keys.secretAccessKey}@127.0.0.1:${caseEnv.closedPort}` })),
			await credentialTest(testCredentials({ ...base, endpoint: `http://127.0.0.1:${caseEnv.closedPort}/${keys.sessionToken}` })),
		];
		expect(results.map((r) => r.status)).toEqual(['Error', 'Error', 'Error']);
		expect(results[0].message).toMatch(/check the secret access key/);
		for (const r of results) for (const [, secret] of secretsToFind()) expect(r.message).not.toContain(secret);
	});
});

describe('presigned URLs', () => {
	it('carry the session token (SigV4 requires X-Amz-Security-Token for temporary credentials) but never the secret', async () => {
		const creds = testCredentials({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken });
		const [out] = succeeded(
			await invoke(
				{ resource: 'object', operation: 'getPresignedUrl', bucketName: rl(caseEnv.bucket), key: 'secrets/hello.txt', method: 'GET', expiresIn: 60 },
				{ credentials: creds },
			),
		);
		const url = new URL(String(out.json.url));
		// by design: a presigned URL is a bearer credential; with temporary keys it must name the token
		expect(url.searchParams.get('X-Amz-Security-Token')).toBe(keys.sessionToken);
		expect(JSON.stringify(out.json)).not.toContain(keys.secretAccessKey);
		expect(decodeURIComponent(String(out.json.url))).not.toContain(keys.secretAccessKey);
	});
});

describe('the scan', () => {
	it('is not blind: it finds a secret planted in a nested error cause, an error context, an output item and a log line', () => {
		const planted = 'SECRET-planted-for-the-scanner-self-test';
		const error = Object.assign(new Error('fine'), { description: 'fine', context: { deep: { deeper: [`x ${planted}`] } }, cause: new Error(`inner ${planted}`) });
		const places = (inv: Parameters<typeof exposedText>[0]) => exposedText(inv).filter((t) => t.text.includes(planted)).map((t) => t.where);
		const base = { label: 'self-test', params: {}, credentials: undefined, output: [], logs: [], ms: 0 };
		expect(places({ ...base, error: error as never })).toContain('error (any property)');
		expect(places({ ...base, output: [{ json: { url: planted } }] })).toEqual(['output[0].json']);
		expect(places({ ...base, logs: [{ level: 'warn', message: planted }] })).toEqual(['log[0]']);
	});

	it('found every invocation of both suites recorded', () => {
		// 2 + every bad-input case + deleteMany at scale + at least one invocation per fault scenario
		expect(recorder.invocations.length).toBeGreaterThanOrEqual(2 + badInputCases.length + 1 + faultScenarios.length);
		expect(recorder.invocations.filter((i) => i.error).length).toBeGreaterThanOrEqual(badInputCases.length);
	});

	it('no error message, description, error property, output item, log line or console line contains the secret, the wrong secret or the session token', () => {
		const leaks: string[] = [];
		for (const inv of recorder.invocations) {
			for (const { where, text } of exposedText(inv)) {
				for (const [what, secret] of secretsToFind()) {
					if (text.includes(secret) || text.includes(encodeURIComponent(secret))) leaks.push(`${what} in ${where} of "${inv.label}": ${text.slice(0, 300)}`);
				}
			}
		}
		for (const line of recorder.consoleLines) {
			for (const [what, secret] of secretsToFind()) if (line.includes(secret)) leaks.push(`${what} in a console line: ${line.slice(0, 300)}`);
		}
		expect(leaks).toEqual([]);
	});
});
