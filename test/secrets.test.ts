/**
 * Secrets never leak: every invocation of the bad-input table (test/helpers/badInputCases.ts) and of
 * the fault scenarios (test/helpers/faultScenarios.ts) runs again, with all their assertions, using
 * a recognisable secret access key ("SECRET-abc123-...", a real key pair added to the RGW test user,
 * see test/helpers/secretKeys.ts), a recognisable session token and, where a case needs a wrong
 * secret, a recognisable wrong one. Afterwards everything the node emitted is scanned: error
 * messages, descriptions and every other property of the errors, output items (JSON and binary
 * metadata), the context's log lines, and anything written to the console.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { badInputCases, deleteManyAtScale, prepareCaseEnv, runBadInputCase, type CaseEnv } from './helpers/badInputCases';
import { FaultProxy } from './helpers/faultProxy';
import { faultScenarios, runFaultScenario, type FaultEnv } from './helpers/faultScenarios';
import { exposedText, invoke, Recorder, succeeded } from './helpers/invoke';
import { node, rl } from './helpers/node';
import { isCephRgw, testConfig, testCredentials, uniqueBucket } from './helpers/s3';
import { recognisableKeys, type RecognisableKeys } from './helpers/secretKeys';
import { createRole, createUser, startStsGateway, withHostEnv, type RgwUser, type StsGateway } from './helpers/sts';
import { HOST_IDENTITY_ENV } from '../nodes/shared/transport/credentials';

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

/** Secrets of the keyless-credential cases (caller's secret, host keys, STS session tokens), added as they appear. */
const keylessSecrets: Array<[string, string]> = [];

const secretsToFind = (): ReadonlyArray<readonly [string, string]> => [
	['secret access key', keys.secretAccessKey],
	['session token', keys.sessionToken],
	['wrong secret access key', keys.wrongSecret],
	...keylessSecrets,
];

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

/**
 * Assume role and host identity (test/identity.test.ts has the behaviour): the caller's secret,
 * the host's keys (served by a container credentials endpoint, or in a shared credentials file)
 * and every STS session token the node got (read from the x-amz-security-token header of the
 * requests, through a fault proxy in front of the STS-enabled radosgw) must never show.
 */
(isCephRgw() ? describe : describe.skip)('keyless credentials with recognisable secrets', () => {
	let sts: StsGateway;
	let stsProxy: FaultProxy;
	let caller: RgwUser;
	let role: { arn: string; remove(): Promise<void> };
	let denyRole: { arn: string; remove(): Promise<void> };
	let bucket: string;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-secrets-'));
	beforeAll(async () => {
		sts = await startStsGateway();
		stsProxy = await FaultProxy.start(sts.endpoint);
		caller = await createUser('SECRET-abc123-caller');
		keylessSecrets.push(['caller secret access key', caller.secretAccessKey]);
		role = await createRole(`secrets-${caller.uid.slice(4)}`, caller.uid, [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }]);
		denyRole = await createRole(`secrets-deny-${caller.uid.slice(4)}`, caller.uid, [{ Effect: 'Deny', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }]);
		bucket = await uniqueBucket('secrets-sts');
	}, 120_000);
	afterAll(async () => {
		// the session tokens the node used, as the server saw them
		for (const r of stsProxy?.requests ?? []) {
			const t = r.headers['x-amz-security-token'];
			if (typeof t === 'string' && t && !keylessSecrets.some(([, v]) => v === t)) keylessSecrets.push(['STS session token', t]);
		}
		await stsProxy?.close();
		await role?.remove();
		await denyRole?.remove();
		await caller?.remove();
		await sts?.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	});
	const creds = (extra: Record<string, unknown> = {}) =>
		({ ...testCredentials({ endpoint: stsProxy.endpoint, accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey }), ...extra }) as ReturnType<typeof testCredentials>;
	const run = async (label: string, params: Record<string, unknown>, credentials: ReturnType<typeof testCredentials>) => recorder.record(await invoke(params as never, { credentials, continueOnFail: false }, label));
	const recordTest = async (label: string, data: ReturnType<typeof testCredentials>) => {
		const result = await node.methods.credentialTest.s3StorageApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'S3', type: 's3StorageApi', data } as ICredentialsDecrypted);
		recorder.record({ label, params: {}, credentials: data, output: [{ json: { ...result } }], logs: [], ms: 0 });
		return result;
	};
	const up = (key: string) => ({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key, inputType: 'text', content: 'x' });

	it('assume role: successes and failures (denied by the role, no such role, no such key, bad session name) say nothing secret', async () => {
		const viaRole = creds({ assumeRole: true, roleArn: role.arn });
		succeeded(await run('assume role upload', up('k/a.txt'), viaRole));
		expect((await run('assume role, missing key', { resource: 'object', operation: 'download', bucketName: rl(bucket), key: 'k/none.txt' }, viaRole)).error?.message).toMatch(/^No object/);
		expect((await run('denying role', up('k/b.txt'), creds({ assumeRole: true, roleArn: denyRole.arn }))).error?.context.code).toBe('AccessDenied');
		expect((await run('no such role', up('k/c.txt'), creds({ assumeRole: true, roleArn: 'arn:aws:iam:::role/none' }))).error?.message).toMatch(/^Could not assume role/);
		expect((await run('bad session name', up('k/d.txt'), creds({ assumeRole: true, roleArn: role.arn, roleSessionName: 'a b' }))).error?.message).toMatch(/Role Session Name/);
		expect((await run('wrong caller secret', up('k/e.txt'), creds({ assumeRole: true, roleArn: role.arn, secretAccessKey: keys.wrongSecret }))).error).toBeDefined();
		expect((await recordTest('credential test, role', viaRole)).status).toBe('OK');
		expect((await recordTest('credential test, no such role', creds({ assumeRole: true, roleArn: 'arn:aws:iam:::role/none' }))).status).toBe('Error');
		expect(stsProxy.count((r) => typeof r.headers['x-amz-security-token'] === 'string')).toBeGreaterThan(0);
	});

	it('host identity: container credentials endpoint and shared credentials file, succeeding and failing, say nothing secret', async () => {
		const hostKeys = await fromTemporaryCredentials({
			masterCredentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey },
			params: { RoleArn: role.arn, RoleSessionName: 'host', DurationSeconds: 900 },
			clientConfig: { region: testConfig().region, endpoint: sts.endpoint },
		})();
		keylessSecrets.push(['host secret access key (container)', hostKeys.secretAccessKey], ['host session token (container)', hostKeys.sessionToken!]);
		const server = http.createServer((_req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ AccessKeyId: hostKeys.accessKeyId, SecretAccessKey: hostKeys.secretAccessKey, Token: hostKeys.sessionToken, Expiration: hostKeys.expiration!.toISOString() }));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		try {
			const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds`;
			const host = creds({ authentication: 'hostIdentity', accessKeyId: '', secretAccessKey: '' });
			await withHostEnv({ [HOST_IDENTITY_ENV]: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: uri }, async () => {
				succeeded(await run('host identity (container) upload', up('h/a.txt'), host));
				expect((await run('host identity (container), missing key', { resource: 'object', operation: 'download', bucketName: rl(bucket), key: 'h/none.txt' }, host)).error).toBeDefined();
				expect((await recordTest('credential test, host (container)', host)).status).toBe('OK');
			});
			const file = path.join(tmp, 'credentials');
			fs.writeFileSync(file, `[default]\naws_access_key_id = ${caller.accessKeyId}\naws_secret_access_key = ${caller.secretAccessKey}\n`, { mode: 0o600 });
			await withHostEnv({ [HOST_IDENTITY_ENV]: 'true', AWS_SHARED_CREDENTIALS_FILE: file }, async () => {
				expect((await run('host identity (file), denied', up('h/b.txt'), host)).error?.context.code).toBe('AccessDenied');
				succeeded(await run('host identity (file) + role', up('h/c.txt'), { ...host, assumeRole: true, roleArn: role.arn }));
				expect((await run('host identity (file) + no such role', up('h/d.txt'), { ...host, assumeRole: true, roleArn: 'arn:aws:iam:::role/none' })).error).toBeDefined();
				expect((await recordTest('credential test, host (file) + role', { ...host, assumeRole: true, roleArn: role.arn })).status).toBe('OK');
			});
			await withHostEnv({}, async () => {
				expect((await run('host identity refused', up('h/e.txt'), host)).error?.message).toMatch(/^Host identity is not enabled/);
			});
		} finally {
			server.close();
		}
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
		// and has the keyless cases' secrets to look for: the caller's, the host's, the STS session tokens
		if (isCephRgw()) {
			const what = keylessSecrets.map(([w]) => w);
			for (const w of ['caller secret access key', 'host secret access key (container)', 'host session token (container)', 'STS session token']) expect(what).toContain(w);
		}
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
