/**
 * Starting and stopping the throw-away Ceph RGW from the jest main process (globalSetup/Teardown).
 */
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import {
	BINARY_DIR_PREFIX,
	ENV_FILE_PREFIX,
	RGW_DIR_PREFIX,
	SCRIPTS_DIR,
	rgwDirFor,
} from './shared';

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Runs a script; stdout and stderr are captured (stderr is also echoed live when `echoStderr`). */
export async function run(
	onSpawn: ((child: ChildProcess) => void) | undefined,
	file: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	echoStderr = false,
): Promise<RunResult> {
	return await new Promise<RunResult>((resolve, reject) => {
		const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		onSpawn?.(child);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
		child.stderr.setEncoding('utf8').on('data', (s: string) => {
			stderr += s;
			if (echoStderr) process.stderr.write(s);
		});
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

/** SIGKILL a child (e.g. rgw-up.sh half-way) and wait, synchronously, until it is gone. */
export function killAndWaitSync(child: ChildProcess): void {
	const pid = child.pid;
	if (!pid) return;
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		return;
	}
	const until = Date.now() + 5000;
	// a killed child stays a zombie until we reap it, which a blocked event loop cannot: look at its state
	while (Date.now() < until) {
		let state = '';
		try {
			state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
		} catch {
			return;
		}
		if (state === 'Z' || state === 'X') return;
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
	}
}

export function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Stops the cluster in `rgwDir` at once (SIGKILL; its data is thrown away) and deletes the dir. */
export function stopClusterSync(rgwDir: string, keep = false): string {
	const out = execFileSync(path.join(SCRIPTS_DIR, 'rgw-down.sh'), [], {
		env: {
			...process.env,
			RGW_DIR: rgwDir,
			RGW_DOWN_TIMEOUT: '0',
			RGW_KEEP: keep ? '1' : '0',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		timeout: 30_000,
	});
	return out;
}

export async function stopCluster(rgwDir: string, keep = false): Promise<RunResult> {
	return await run(undefined, path.join(SCRIPTS_DIR, 'rgw-down.sh'), [], {
		...process.env,
		RGW_DIR: rgwDir,
		RGW_DOWN_TIMEOUT: '0',
		RGW_KEEP: keep ? '1' : '0',
	});
}

/**
 * Cleans up after earlier jest runs that were killed before their teardown: RGW dirs, env files
 * and binary-data dirs whose jest process (the pid in the name) is gone. rgw-down.sh only signals
 * daemons whose command line names that dir's ceph.conf.
 */
export async function sweepStale(): Promise<string[]> {
	const tmp = os.tmpdir();
	const swept: string[] = [];
	for (const name of fs.readdirSync(tmp)) {
		const m = /^(n8n-s3-storage-test-(?:rgw|env|binary)-)(\d+)(\.json)?$/.exec(name);
		if (!m) continue;
		const pid = Number(m[2]);
		if (pid === process.pid || pidAlive(pid)) continue;
		const full = path.join(tmp, name);
		if (m[1] === RGW_DIR_PREFIX) await stopCluster(full);
		if (m[1] === RGW_DIR_PREFIX || m[1] === ENV_FILE_PREFIX || m[1] === BINARY_DIR_PREFIX) {
			fs.rmSync(full, { recursive: true, force: true });
			swept.push(full);
		}
	}
	return swept;
}

async function portFree(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
			server.close(() => resolve(true));
		});
	});
}

const randomIn = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * Ports below Linux's ephemeral range (32768+), away from the scripts' defaults
 * (7480 / 13300 / 16800): RGW 10000-12999, mon 20000-24998 (+1 for msgr v1),
 * OSD 25000-29899 (+100).
 */
export async function pickPorts(): Promise<{ rgw: number; mon: number; osdMin: number }> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const rgw = randomIn(10000, 12999);
		const mon = randomIn(20000, 24998);
		const osdMin = randomIn(25000, 29899);
		if (!(await portFree(rgw)) || !(await portFree(mon)) || !(await portFree(mon + 1))) continue;
		// the OSD needs a handful of ports in [osdMin, osdMin+100]; make sure most are free
		let free = 0;
		for (let p = osdMin; p < osdMin + 10; p++) if (await portFree(p)) free++;
		if (free >= 8) return { rgw, mon, osdMin };
	}
	throw new Error('could not find free ports for the test RGW');
}

export function randomCredentials() {
	return {
		// AWS-like shapes: 20 upper-case alphanumerics, 40 base64-ish characters
		accessKeyId: `N8NTEST${randomBytes(8).toString('hex').toUpperCase().slice(0, 13)}`,
		secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
	};
}

/** `export K=V` lines (rgw-up.sh's stdout) to an object. */
export function parseExports(stdout: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of stdout.split('\n')) {
		const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
		if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
	}
	return out;
}

export { rgwDirFor };
