/**
 * Recognisable credentials for the secrets suite: a second S3 key pair of the test user, with a
 * secret access key and a session token that are easy to search for in any text the node emits.
 *
 * On this run's own Ceph RGW the key pair is added to the test user with `radosgw-admin key create`
 * (same user, so every bucket the other helpers make is accessible) and removed afterwards.
 * Against an external server (S3_TEST_ENDPOINT) no user can be created: the server's own secret is
 * used instead (it is just as searchable, only not as recognisable by eye).
 *
 * RGW without STS ignores `x-amz-security-token` (checked: requests with an unknown session token
 * succeed), so the session token can be sent on every request.
 */
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { testConfig } from './s3';

const execFileAsync = promisify(execFile);

export interface RecognisableKeys {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken: string;
	/** a wrong secret, just as recognisable (for SignatureDoesNotMatch cases) */
	wrongSecret: string;
	/** true when a key pair with the recognisable secret was created on the server */
	created: boolean;
	remove(): Promise<void>;
}

function rgwAdminEnv(): NodeJS.ProcessEnv | undefined {
	const dir = process.env.S3_TEST_RGW_DIR;
	if (!dir || !fs.existsSync(path.join(dir, 'ceph.conf'))) return undefined;
	return { ...process.env, CEPH_CONF: path.join(dir, 'ceph.conf'), CEPH_KEYRING: path.join(dir, 'keyring') };
}

async function rgwAdmin(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
	const { stdout } = await execFileAsync('radosgw-admin', ['-n', 'client.admin', ...args], { env, timeout: 30_000 });
	return stdout;
}

export async function recognisableKeys(): Promise<RecognisableKeys> {
	const tag = randomBytes(6).toString('hex');
	const sessionToken = `TOKEN-xyz789-${tag}-session-token-for-leak-check`;
	const wrongSecret = `SECRET-abc123-WRONG-${tag}-leak-check`;
	const env = rgwAdminEnv();
	const config = testConfig();
	if (!env) {
		return {
			accessKeyId: config.accessKeyId,
			secretAccessKey: config.secretAccessKey,
			sessionToken,
			wrongSecret,
			created: false,
			remove: async () => undefined,
		};
	}
	const info = JSON.parse(await rgwAdmin(env, ['user', 'info', `--access-key=${config.accessKeyId}`])) as { user_id: string };
	const accessKeyId = `LEAKCHECK${tag.toUpperCase()}`;
	const secretAccessKey = `SECRET-abc123-${tag}-leak-check-secret`;
	await rgwAdmin(env, ['key', 'create', `--uid=${info.user_id}`, '--key-type=s3', `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`]);
	return {
		accessKeyId,
		secretAccessKey,
		sessionToken,
		wrongSecret,
		created: true,
		remove: async () => {
			await rgwAdmin(env, ['key', 'rm', `--uid=${info.user_id}`, '--key-type=s3', `--access-key=${accessKeyId}`]);
		},
	};
}
