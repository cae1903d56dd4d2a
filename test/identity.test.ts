/**
 * Keyless credentials (issue 14): "Assume Role" on top of access keys or the host identity, and
 * "Host Identity" (the AWS SDK's default provider chain on the n8n host) allowed only by the n8n
 * admin. Against the test cluster's STS-enabled radosgw (test/helpers/sts.ts): the bucket belongs
 * to the main test user, so a second user's own keys are denied and only the role it may assume
 * gets in. The host identity comes from a container credentials endpoint on 127.0.0.1
 * (AWS_CONTAINER_CREDENTIALS_FULL_URI, as on ECS/EKS) or a shared credentials file.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { createS3ClientWithIdentity, type S3StorageCredentials } from '../nodes/shared/transport/client';
import { HOST_IDENTITY_ENV, N8N_AWS_SYSTEM_CREDENTIALS_ENV } from '../nodes/shared/transport/credentials';
import { FaultProxy } from './helpers/faultProxy';
import { expectErrorClass, failed, invoke, succeeded } from './helpers/invoke';
import { node, rl } from './helpers/node';
import { isCephRgw, testCredentials, testConfig, uniqueBucket } from './helpers/s3';
import { createRole, createUser, startStsGateway, withHostEnv, type RgwUser, type StsGateway } from './helpers/sts';

const describeRgw = isCephRgw() ? describe : describe.skip;

const credentialTest = async (data: ICredentialDataDecryptedObject) =>
	await node.methods.credentialTest.s3StorageApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'S3', type: 's3StorageApi', data } as ICredentialsDecrypted);

let sts: StsGateway;
let bucket: string;
let caller: RgwUser;
let fullRole: { arn: string; remove(): Promise<void> };
let noPutRole: { arn: string; remove(): Promise<void> };
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-identity-'));

describeRgw('keyless credentials against Ceph RGW with STS', () => {
	beforeAll(async () => {
		sts = await startStsGateway();
		bucket = await uniqueBucket('identity'); // owned by the main test user
		caller = await createUser('SECRET-caller');
		const tag = caller.uid.slice(4);
		fullRole = await createRole(`n8n-full-${tag}`, caller.uid, [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }]);
		noPutRole = await createRole(`n8n-noput-${tag}`, caller.uid, [
			{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] },
			{ Effect: 'Deny', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::*'] },
		]);
	}, 120_000);
	afterAll(async () => {
		await fullRole?.remove();
		await noPutRole?.remove();
		await caller?.remove();
		await sts?.stop();
		fs.rmSync(tmpDir, { recursive: true, force: true });
	});

	/** The caller's keys on the STS-enabled endpoint, optionally assuming a role. */
	const callerCreds = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		...testCredentials({ endpoint: sts.endpoint, accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey }),
		...extra,
	});
	/** What the role reads at the key (objects the role wrote belong to the caller, so the bucket owner's keys may not read them: S3's object ownership). */
	const readViaRole = async (key: string) =>
		succeeded(await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'text' }, { credentials: callerCreds({ assumeRole: true, roleArn: fullRole.arn }) }))[0].json.data;
	const upload = (key: string, content = 'via the role') => ({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key, inputType: 'text', content });
	const download = (key: string) => ({ resource: 'object', operation: 'download', bucketName: rl(bucket), key, outputType: 'text' });

	describe('assume role', () => {
		it('the caller\'s own keys are denied (the bucket is another user\'s): AccessDenied', async () => {
			const error = failed(await invoke(upload('plain.txt'), { credentials: callerCreds() }));
			expectErrorClass(error, 'NodeApiError');
			expect(error.context.code).toBe('AccessDenied');
		});

		it('through the role the same keys upload, download and list', async () => {
			const creds = callerCreds({ assumeRole: true, roleArn: fullRole.arn });
			const [up] = succeeded(await invoke(upload('role/a.txt', 'assumed'), { credentials: creds }));
			expect(up.json).toMatchObject({ bucket, key: 'role/a.txt', size: 7 });
						const [down] = succeeded(await invoke(download('role/a.txt'), { credentials: creds }));
			expect(down.json.data).toBe('assumed');
			const listed = succeeded(await invoke({ resource: 'object', operation: 'getMany', bucketName: rl(bucket), prefix: 'role/', returnAll: true }, { credentials: creds }));
			expect(listed.map((i) => i.json.key)).toContain('role/a.txt');
		});

		it('the credential test reports the assumed role and its session', async () => {
			const result = await credentialTest(callerCreds({ assumeRole: true, roleArn: fullRole.arn, roleSessionName: 'cred-test' }));
			expect(result.status).toBe('OK');
			expect(result.message).toMatch(new RegExp(`^Connection successful as role ${fullRole.arn.replace(/[/]/g, '\\/')} \\(session "cred-test", temporary keys valid until \\d{4}-`));
		});

		it('a role whose policy denies s3:PutObject: the upload fails with a clear AccessDenied, a download still works', async () => {
			const creds = callerCreds({ assumeRole: true, roleArn: noPutRole.arn });
			const error = failed(await invoke(upload('role/denied.txt'), { credentials: creds }));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toMatch(/^Access denied to "role\/denied\.txt" in bucket "[^"]+": the keys are valid but lack permission for this action/);
			expect(error.context.code).toBe('AccessDenied');
			const [down] = succeeded(await invoke(download('role/a.txt'), { credentials: creds }));
			expect(down.json.data).toBe('assumed');
		});

		it('a role that does not exist: the message names the role ARN (RGW answers 404 NoSuchEntity, which the SDK calls NotFound)', async () => {
			const arn = 'arn:aws:iam:::role/no-such-role-here';
			const error = failed(await invoke(upload('role/x.txt'), { credentials: callerCreds({ assumeRole: true, roleArn: arn }) }));
			expectErrorClass(error, 'NodeApiError');
			expect(error.message).toBe(`Could not assume role "${arn}": the role does not exist: check "Role ARN" (e.g. arn:aws:iam::123456789012:role/MyRole)`);
			const test = await credentialTest(callerCreds({ assumeRole: true, roleArn: arn }));
			expect(test).toEqual({ status: 'Error', message: error.message });
		});

		it('a role session name STS refuses (a space): the message points at the field', async () => {
			const error = failed(await invoke(upload('role/x.txt'), { credentials: callerCreds({ assumeRole: true, roleArn: fullRole.arn, roleSessionName: 'has space' }) }));
			expect(error.message).toMatch(/^Could not assume role "[^"]+": STS refused the request .*check "Role Session Name"/);
		});

		it('"Assume Role" without a role ARN: refused before any request, naming the field', async () => {
			const error = failed(await invoke(upload('role/x.txt'), { credentials: callerCreds({ assumeRole: true, roleArn: '' }) }));
			expectErrorClass(error, 'NodeOperationError');
			expect(error.message).toMatch(/"Assume Role" is on but "Role ARN" is empty/);
		});

		it('a session that expires (5 s) is renewed: requests after its end still work, with a new AssumeRole', async () => {
			const proxy = await FaultProxy.start(sts.endpoint);
			try {
				const creds = callerCreds({ endpoint: proxy.endpoint, assumeRole: true, roleArn: fullRole.arn, roleSessionDuration: 5 }) as unknown as S3StorageCredentials;
				const { client, identity } = createS3ClientWithIdentity(creds, { maxAttempts: 1 });
				try {
					await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'role/refresh-1.txt', Body: 'one' }));
					const first = identity.info.expiration!;
					expect(first.getTime() - Date.now()).toBeLessThan(6000);
					await new Promise((r) => setTimeout(r, Math.max(0, first.getTime() - Date.now()) + 1500));
					expect(Date.now()).toBeGreaterThan(first.getTime());
					await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'role/refresh-2.txt', Body: 'two' }));
					expect(identity.info.expiration!.getTime()).toBeGreaterThan(first.getTime());
				} finally {
					client.destroy();
				}
				expect(await readViaRole('role/refresh-2.txt')).toBe('two');
				// AssumeRole is a POST to / on the S3 endpoint; one per session (at least two)
				const assumeRoles = proxy.count((r) => r.method === 'POST' && r.path === '/');
				expect(assumeRoles).toBeGreaterThanOrEqual(2);
				// every S3 request carried a session token, and the last one a new token
				const tokens = proxy.requests.filter((r) => r.method === 'PUT').map((r) => r.headers['x-amz-security-token']);
				expect(tokens).toHaveLength(2);
				expect(tokens[0]).toBeTruthy();
				expect(tokens[1]).not.toBe(tokens[0]);
			} finally {
				await proxy.close();
			}
		}, 30_000);
	});

	describe('host identity', () => {
		/** Temporary keys of the full role (what ECS/EKS would hand out), via the SDK. */
		const roleKeys = async () =>
			await fromTemporaryCredentials({
				masterCredentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey },
				params: { RoleArn: fullRole.arn, RoleSessionName: 'container', DurationSeconds: 900 },
				clientConfig: { region: testConfig().region, endpoint: sts.endpoint },
			})();

		it('is refused unless the n8n admin allows it: node and credential test name the environment variable', async () => {
			await withHostEnv({}, async () => {
				const creds = callerCreds({ authentication: 'hostIdentity' });
				const error = failed(await invoke(upload('host/x.txt'), { credentials: creds }));
				expectErrorClass(error, 'NodeOperationError');
				expect(error.message).toMatch(/^Host identity is not enabled on this n8n instance: the n8n admin must set the environment variable N8N_S3_STORAGE_ALLOW_HOST_IDENTITY=true \(or n8n's N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED=true\)/);
				const test = await credentialTest(creds);
				expect(test.status).toBe('Error');
				expect(test.message).toBe(error.message);
				// "false" is not "true"
				process.env[HOST_IDENTITY_ENV] = 'false';
				expect(failed(await invoke(upload('host/x.txt'), { credentials: creds })).message).toMatch(/^Host identity is not enabled/);
			});
		});

		it('from a container credentials endpoint on 127.0.0.1 (AWS_CONTAINER_CREDENTIALS_FULL_URI, with its authorization token): works, and the test names the source', async () => {
			const keys = await roleKeys();
			const seen: Array<string | undefined> = [];
			const server = http.createServer((req, res) => {
				seen.push(req.headers.authorization);
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey, Token: keys.sessionToken, Expiration: keys.expiration!.toISOString() }));
			});
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			try {
				const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/credentials/task`;
				await withHostEnv({ [HOST_IDENTITY_ENV]: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-auth-token' }, async () => {
					// no keys in the credential at all
					const creds = { ...callerCreds({ authentication: 'hostIdentity' }), accessKeyId: '', secretAccessKey: '' };
					const [up] = succeeded(await invoke(upload('host/container.txt', 'from the task role'), { credentials: creds }));
					expect(up.json).toMatchObject({ key: 'host/container.txt' });
					expect(await readViaRole('host/container.txt')).toBe('from the task role');
					const test = await credentialTest(creds);
					expect(test.status).toBe('OK');
					expect(test.message).toMatch(new RegExp(`^Connection successful as the n8n host's AWS identity \\(container credentials endpoint \\(ECS/EKS\\), access key ID ${keys.accessKeyId}, temporary keys valid until`));
				});
				expect(seen.length).toBeGreaterThanOrEqual(2);
				expect(seen.every((a) => a === 'container-auth-token')).toBe(true);
			} finally {
				server.close();
			}
		});

		it('from the shared credentials file (AWS_SHARED_CREDENTIALS_FILE): works, and the test names the source', async () => {
			const file = path.join(tmpDir, 'credentials-main');
			const main = testConfig();
			fs.writeFileSync(file, `[default]\naws_access_key_id = ${main.accessKeyId}\naws_secret_access_key = ${main.secretAccessKey}\n`, { mode: 0o600 });
			await withHostEnv({ [HOST_IDENTITY_ENV]: 'true', AWS_SHARED_CREDENTIALS_FILE: file }, async () => {
				// the main RGW (the test user's own keys, not temporary)
				const creds = testCredentials({ authentication: 'hostIdentity', accessKeyId: '', secretAccessKey: '' });
				const [up] = succeeded(await invoke(upload('host/file.txt', 'from the file'), { credentials: creds }));
				expect(up.json).toMatchObject({ key: 'host/file.txt' });
				const test = await credentialTest(creds);
				expect(test).toEqual({ status: 'OK', message: `Connection successful as the n8n host's AWS identity (shared credentials/config file, access key ID ${main.accessKeyId}): it can list buckets` });
			});
		});

		it('n8n\'s own N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED=true allows it too; host identity + assume role gets in where the host keys alone do not', async () => {
			const file = path.join(tmpDir, 'credentials-caller');
			fs.writeFileSync(file, `[default]\naws_access_key_id = ${caller.accessKeyId}\naws_secret_access_key = ${caller.secretAccessKey}\n`, { mode: 0o600 });
			await withHostEnv({ [N8N_AWS_SYSTEM_CREDENTIALS_ENV]: 'true', AWS_SHARED_CREDENTIALS_FILE: file }, async () => {
				const hostOnly = callerCreds({ authentication: 'hostIdentity', accessKeyId: '', secretAccessKey: '' });
				expect(failed(await invoke(upload('host/denied.txt'), { credentials: hostOnly })).context.code).toBe('AccessDenied');
				const viaRole = { ...hostOnly, assumeRole: true, roleArn: fullRole.arn };
				succeeded(await invoke(upload('host/role.txt', 'host then role'), { credentials: viaRole }));
				expect(await readViaRole('host/role.txt')).toBe('host then role');
				const test = await credentialTest(viaRole);
				expect(test.status).toBe('OK');
				expect(test.message).toContain(`as role ${fullRole.arn} (session "n8n-s3-storage", assumed with the n8n host's identity from shared credentials/config file`);
			});
		});

		it('no identity on the host: a clear failure naming where the SDK looked', async () => {
			await withHostEnv({ [HOST_IDENTITY_ENV]: 'true' }, async () => {
				const error = failed(await invoke(upload('host/none.txt'), { credentials: callerCreds({ authentication: 'hostIdentity' }) }));
				expectErrorClass(error, 'NodeApiError');
				expect(error.message).toMatch(/^The n8n host has no AWS identity the AWS SDK can find \(environment variables, shared credentials file/);
			});
		});
	});
});
