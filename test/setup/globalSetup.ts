/**
 * jest globalSetup (runs once, in the main jest process).
 *
 * Unless S3_TEST_ENDPOINT is set, starts a throw-away Ceph RGW on 127.0.0.1 (scripts/ensure-ceph.sh,
 * then scripts/rgw-up.sh with its own RGW_DIR, free ports and random keys). The resulting settings
 * are written to a JSON file whose path goes into process.env[ENV_FILE_VAR]; test/setup/env.ts
 * (a setupFiles module) copies them into each test file's process.env as S3_TEST_*.
 *
 * Env knobs: S3_TEST_ENDPOINT (+ S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY, S3_TEST_REGION
 * default us-east-1, S3_TEST_FORCE_PATH_STYLE default true) to use an existing server;
 * S3_TEST_VERBOSE=1 to echo rgw-up.sh's progress; S3_TEST_KEEP_RGW_LOGS=1 to keep the RGW dir.
 */
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import {
	killAndWaitSync,
	parseExports,
	pickPorts,
	randomCredentials,
	run,
	stopClusterSync,
	sweepStale,
} from './rgw';
import {
	ENV_FILE_VAR,
	SCRIPTS_DIR,
	type TestEnv,
	binaryDirFor,
	envFileFor,
	rgwDirFor,
} from './shared';

/** State shared with globalTeardown (same process) and the exit safety net. */
export interface RunState {
	rgwDir?: string;
	/** rgw-up.sh while it runs (stopped first if jest is interrupted during the start) */
	starter?: ChildProcess;
	envFile: string;
	binaryDir: string;
	stopped: boolean;
}
const STATE_KEY = Symbol.for('n8n-s3-storage-test.state');
type GlobalWithState = typeof globalThis & { [STATE_KEY]?: RunState };
export const getRunState = () => (globalThis as GlobalWithState)[STATE_KEY];

const log = (msg: string) => process.stderr.write(`[s3-test-setup] ${msg}\n`);

function tail(text: string, lines = 60): string {
	const all = text.trimEnd().split('\n');
	return all.slice(-lines).join('\n');
}

/** If jest dies without running globalTeardown (Ctrl-C, crash), still stop the daemons. */
function installSafetyNet(state: RunState) {
	const cleanup = () => {
		if (state.stopped) return;
		state.stopped = true;
		try {
			if (state.starter && state.starter.exitCode === null) killAndWaitSync(state.starter);
			if (state.rgwDir) stopClusterSync(state.rgwDir);
		} catch {
			// best effort: the next run's sweepStale() will retry
		}
		fs.rmSync(state.envFile, { force: true });
		fs.rmSync(state.binaryDir, { recursive: true, force: true });
	};
	process.once('exit', cleanup);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		const handler = () => {
			cleanup();
			process.removeListener(signal, handler);
			process.kill(process.pid, signal); // default action from here on
		};
		process.on(signal, handler);
	}
}

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const pid = process.pid;
	const state: RunState = {
		envFile: envFileFor(pid),
		binaryDir: binaryDirFor(pid),
		stopped: false,
	};
	(globalThis as GlobalWithState)[STATE_KEY] = state;

	let env: TestEnv;
	const external = process.env.S3_TEST_ENDPOINT;
	if (external) {
		const { S3_TEST_ACCESS_KEY_ID: ak, S3_TEST_SECRET_ACCESS_KEY: sk } = process.env;
		if (!ak || !sk) {
			throw new Error(
				'S3_TEST_ENDPOINT is set, so S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY must be set too',
			);
		}
		env = {
			S3_TEST_ENDPOINT: external,
			S3_TEST_ACCESS_KEY_ID: ak,
			S3_TEST_SECRET_ACCESS_KEY: sk,
			S3_TEST_REGION: process.env.S3_TEST_REGION || 'us-east-1',
			S3_TEST_FORCE_PATH_STYLE: String(
				!/^(false|0|no)$/i.test(process.env.S3_TEST_FORCE_PATH_STYLE ?? 'true'),
			),
			S3_TEST_SERVER: 'external',
			S3_TEST_BINARY_DIR: state.binaryDir,
		};
		log(`using the S3 server at ${external}`);
	} else {
		const swept = await sweepStale();
		if (swept.length) log(`cleaned up after earlier runs: ${swept.join(', ')}`);

		const ensure = await run(undefined, path.join(SCRIPTS_DIR, 'ensure-ceph.sh'), [], process.env, true);
		if (ensure.code !== 0) {
			throw new Error(
				`scripts/ensure-ceph.sh failed (exit ${ensure.code ?? ensure.signal}); the tests need a local Ceph RGW ` +
					'or S3_TEST_ENDPOINT/S3_TEST_ACCESS_KEY_ID/S3_TEST_SECRET_ACCESS_KEY of an S3 server.\n' +
					tail(ensure.stderr),
			);
		}

		const rgwDir = rgwDirFor(pid);
		const ports = await pickPorts();
		const keys = randomCredentials();
		state.rgwDir = rgwDir;
		installSafetyNet(state);

		const up = await run(
			(child) => (state.starter = child),
			path.join(SCRIPTS_DIR, 'rgw-up.sh'),
			[],
			{
				...process.env,
				RGW_DIR: rgwDir,
				RGW_PORT: String(ports.rgw),
				MON_PORT: String(ports.mon),
				OSD_PORT_MIN: String(ports.osdMin),
				RGW_ACCESS_KEY: keys.accessKeyId,
				RGW_SECRET_KEY: keys.secretAccessKey,
				RGW_TIMEOUT: process.env.RGW_TIMEOUT ?? '60',
				RGW_DOWN_TIMEOUT: '0', // if it fails half-way, it stops what it started at once
			},
			process.env.S3_TEST_VERBOSE === '1',
		);
		state.starter = undefined;
		const exported = parseExports(up.stdout);
		if (up.code !== 0 || !exported.S3_ENDPOINT) {
			state.stopped = true;
			// rgw-up.sh already stopped what it started (keeping the logs); remove the rest unless asked
			if (process.env.S3_TEST_KEEP_RGW_LOGS !== '1') fs.rmSync(rgwDir, { recursive: true, force: true });
			throw new Error(
				`Could not start the test Ceph RGW (scripts/rgw-up.sh exit ${up.code ?? up.signal}, ` +
					`RGW_DIR=${rgwDir}, ports rgw ${ports.rgw} mon ${ports.mon} osd ${ports.osdMin}+).\n` +
					`---- rgw-up.sh stderr (tail) ----\n${tail(up.stderr)}\n` +
					`---- stdout ----\n${tail(up.stdout, 20)}`,
			);
		}
		env = {
			S3_TEST_ENDPOINT: exported.S3_ENDPOINT,
			S3_TEST_ACCESS_KEY_ID: exported.AWS_ACCESS_KEY_ID,
			S3_TEST_SECRET_ACCESS_KEY: exported.AWS_SECRET_ACCESS_KEY,
			S3_TEST_REGION: exported.AWS_REGION || 'us-east-1',
			S3_TEST_FORCE_PATH_STYLE: 'true',
			S3_TEST_SERVER: 'ceph-rgw',
			S3_TEST_BINARY_DIR: state.binaryDir,
			S3_TEST_RGW_DIR: rgwDir,
		};
		log(`Ceph RGW up at ${env.S3_TEST_ENDPOINT} in ${((Date.now() - t0) / 1000).toFixed(1)} s (RGW_DIR=${rgwDir})`);
	}

	fs.mkdirSync(state.binaryDir, { recursive: true });
	fs.writeFileSync(state.envFile, JSON.stringify(env, null, 2), { mode: 0o600 });
	process.env[ENV_FILE_VAR] = state.envFile;
}
