/**
 * STS on the test RGW, for the keyless-credential suites (test/identity.test.ts, the identity part
 * of test/secrets.test.ts): a second radosgw with STS turned on, on the same cluster
 * (scripts/rgw-sts-up.sh; the main one keeps STS off), plus users and roles made with
 * radosgw-admin. Only on this run's own RGW (S3_TEST_SERVER=ceph-rgw).
 *
 * RGW facts this relies on (Ceph 16): AssumeRole is served on the S3 endpoint (POST /); a role's
 * trust policy names `arn:aws:iam:::user/<uid>`; a role's permission policy is its only grant
 * (the bucket here belongs to another user, so the caller's own keys are denied); sessions
 * shorter than `rgw sts min session duration` are refused (the script lowers it to 5 s).
 */
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { promisify } from 'util';
import { HOST_IDENTITY_ENV, N8N_AWS_SYSTEM_CREDENTIALS_ENV } from '../../nodes/shared/transport/credentials';
import { SCRIPTS_DIR } from '../setup/shared';

const execFileAsync = promisify(execFile);

function rgwDir(): string {
	const dir = process.env.S3_TEST_RGW_DIR;
	if (!dir || !fs.existsSync(path.join(dir, 'ceph.conf'))) throw new Error('STS tests need this run\'s own Ceph RGW (S3_TEST_RGW_DIR)');
	return dir;
}

function adminEnv(): NodeJS.ProcessEnv {
	const dir = rgwDir();
	return { ...process.env, CEPH_CONF: path.join(dir, 'ceph.conf'), CEPH_KEYRING: path.join(dir, 'keyring') };
}

/** Runs radosgw-admin on the test cluster; returns stdout. */
export async function rgwAdmin(args: string[]): Promise<string> {
	const { stdout } = await execFileAsync('radosgw-admin', ['-n', 'client.admin', ...args], { env: adminEnv(), timeout: 30_000 });
	return stdout;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo;
			s.close(() => resolve(port));
		});
	});
}

/** The STS-enabled S3 endpoint (started once per test file; stopped with the cluster, or by stop()). */
export interface StsGateway {
	endpoint: string;
	stop(): Promise<void>;
}

/** Starts the STS-enabled radosgw (≈ 3-5 s) with sessions allowed down to 5 s. */
export async function startStsGateway(): Promise<StsGateway> {
	const dir = rgwDir();
	const port = await freePort();
	let stdout: string;
	try {
		({ stdout } = await execFileAsync(path.join(SCRIPTS_DIR, 'rgw-sts-up.sh'), [], {
			env: { ...process.env, RGW_DIR: dir, STS_PORT: String(port), RGW_STS_MIN_SESSION_DURATION: '5' },
			timeout: 90_000,
		}));
	} catch (error) {
		const e = error as Error & { stderr?: string; stdout?: string };
		throw new Error(`scripts/rgw-sts-up.sh failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
	}
	const endpoint = /S3_STS_ENDPOINT=(\S+)/.exec(stdout)?.[1];
	if (!endpoint) throw new Error(`rgw-sts-up.sh printed no endpoint: ${stdout}`);
	return {
		endpoint,
		stop: async () => {
			const pidFile = path.join(dir, 'run', 'radosgw-sts.pid');
			if (!fs.existsSync(pidFile)) return;
			const pid = Number(fs.readFileSync(pidFile, 'utf8'));
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// already gone
			}
			fs.rmSync(pidFile, { force: true });
		},
	};
}

export interface RgwUser {
	uid: string;
	accessKeyId: string;
	secretAccessKey: string;
	remove(): Promise<void>;
}

/** A new RGW user with its own key pair (the secret starts with `prefix`, easy to search for). */
export async function createUser(prefix = 'SECRET-sts'): Promise<RgwUser> {
	const tag = randomBytes(5).toString('hex');
	const uid = `sts-${tag}`;
	const accessKeyId = `STSUSER${tag.toUpperCase()}`;
	const secretAccessKey = `${prefix}-${tag}-user-secret`;
	await rgwAdmin(['user', 'create', `--uid=${uid}`, `--display-name=${uid}`, `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`]);
	return { uid, accessKeyId, secretAccessKey, remove: async () => void (await rgwAdmin(['user', 'rm', `--uid=${uid}`, '--purge-data']).catch(() => '')) };
}

/** An S3 permission policy statement list, as IAM writes them. */
export type Statement = { Effect: 'Allow' | 'Deny'; Action: string[]; Resource: string[] };

/**
 * A role that user `trustedUid` may assume (trust policy: sts:AssumeRole for
 * arn:aws:iam:::user/<uid>), with the given permission policy. Returns its ARN.
 */
export async function createRole(name: string, trustedUid: string, statements: Statement[]): Promise<{ arn: string; remove(): Promise<void> }> {
	const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam:::user/${trustedUid}`] }, Action: ['sts:AssumeRole'] }] };
	const out = JSON.parse(await rgwAdmin(['role', 'create', `--role-name=${name}`, `--assume-role-policy-doc=${JSON.stringify(trust)}`])) as { Arn: string };
	await rgwAdmin(['role-policy', 'put', `--role-name=${name}`, '--policy-name=s3', `--policy-doc=${JSON.stringify({ Version: '2012-10-17', Statement: statements })}`]);
	return {
		arn: out.Arn,
		remove: async () => {
			await rgwAdmin(['role-policy', 'delete', `--role-name=${name}`, '--policy-name=s3']).catch(() => '');
			await rgwAdmin(['role', 'delete', `--role-name=${name}`]).catch(() => '');
		},
	};
}

/** Environment variables the SDK's provider chain reads; cleared (and restored) around each host-identity case. */
const CHAIN_VARS = [
	'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE',
	'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
	'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_EC2_METADATA_DISABLED', HOST_IDENTITY_ENV, N8N_AWS_SYSTEM_CREDENTIALS_ENV,
];

/** Runs fn with the provider chain's environment set to exactly `vars` (nothing else from the host), then restores it. */
export async function withHostEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(CHAIN_VARS.map((k) => [k, process.env[k]]));
	for (const k of CHAIN_VARS) delete process.env[k];
	// no shared files unless given, and never the EC2 metadata service
	Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_CONFIG_FILE: '/nonexistent/config', AWS_EC2_METADATA_DISABLED: 'true' }, vars);
	try {
		return await fn();
	} finally {
		for (const k of CHAIN_VARS) {
			if (saved[k] === undefined) delete process.env[k];
			else process.env[k] = saved[k];
		}
	}
}
