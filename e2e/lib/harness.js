'use strict';
/*
 * Reusable parts of the e2e harness: a real n8n (2.8.4, installed in e2e/node_modules) with this
 * package loaded as a community node, against a throw-away S3 server. Used by e2e/run.js (the
 * example workflows), bench/ (npm run bench) and the `npm start` / browser set-up.
 *
 *   const h = require('./lib/harness');
 *   h.setLogPrefix('bench');            // log lines: "[bench   1.2 s] ..." on stderr
 *   h.installSignalHandlers();          // Ctrl-C / SIGTERM / SIGHUP: cleanupAll() then exit
 *   const s3 = await h.startS3({ s3: 'rgw', osdStore: 'bluestore', storeGb: 12 }, runDir);
 *   h.addCleanup(() => ...);            // run by cleanupAll(), last-in first-out
 *   await h.prepareUserFolder(userFolder, { workflows, credentials, s3, fresh, logDir });
 *   const r = await h.executeBatch({ userFolder, s3, ids, snapDir, logDir });   // r.snapshots[id]
 *   await h.cleanupAll();               // stops everything started here (S3 server, n8n, ...)
 *
 * Process bookkeeping: every child started through runCommand / startProcess / startS3 is
 * tracked; cleanupAll() stops them (process groups for n8n, so its task runner goes too), and a
 * process 'exit' hook SIGKILLs whatever is left.
 */

const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');

const E2E = path.resolve(__dirname, '..');
const ROOT = path.resolve(E2E, '..');
const WORK = path.join(E2E, '.work');
const CACHE = path.join(WORK, 'cache');
const N8N_DIR = path.join(E2E, 'node_modules', 'n8n');
const N8N_BIN = path.join(N8N_DIR, 'bin', 'n8n');
const PACKAGE_NAME = 'n8n-nodes-s3-storage';
/** What gets linked into n8n (E2E_PACKAGE_DIR: e.g. an unpacked `npm pack` of the package). */
const PACKAGE_DIR = path.resolve(process.env.E2E_PACKAGE_DIR || ROOT);
const NODE_TYPE = `${PACKAGE_NAME}.s3Storage`;
const CRED_ID = 's3DemoCredential';
const CRED_NAME = 'S3 Storage account';
const DEFAULT_BUCKET = 'n8n-demo';
/** Fixed for the harness: the cached database's credential is encrypted with it. Not a secret. */
const ENCRYPTION_KEY = 'n8n-nodes-s3-storage-e2e-not-a-secret';
/** Bump when the way the cached database is prepared changes. */
const CACHE_FORMAT = 2;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

class UsageError extends Error {}
class Interrupted extends Error {}

// ------------------------------------------------------------------------------------ logging
const t0 = Date.now();
let logPrefix = 'e2e';
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const setLogPrefix = (p) => {
	logPrefix = p;
};
const log = (msg) => process.stderr.write(`[${logPrefix} ${secs(Date.now() - t0).padStart(6)}] ${msg}\n`);
const startedAt = () => t0;

function tail(text, lines = 40) {
	return String(text).trimEnd().split('\n').slice(-lines).join('\n');
}

// ------------------------------------------------------------------- process bookkeeping
/** Children started here: { child, name, group } (group: detached, killed as a process group). */
const children = new Set();
/** Clean-up steps, run last-in first-out. */
const cleanups = [];
let cleaning = null;
let signalled = false;

const isSignalled = () => signalled;
const bailIfInterrupted = () => {
	if (signalled) throw new Interrupted('interrupted');
};
const addCleanup = (fn) => cleanups.push(fn);

function killTree(entry, signal) {
	const { child, group } = entry;
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		if (group) process.kill(-child.pid, signal);
		else child.kill(signal);
	} catch {
		// already gone
	}
}

async function stopChild(entry, graceMs = 5000) {
	const { child } = entry;
	const killGroup = () => {
		if (!entry.group) return;
		try {
			process.kill(-child.pid, 'SIGKILL'); // whatever is left of its group (n8n's task runner)
		} catch {
			// none left
		}
	};
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		killTree(entry, 'SIGTERM');
		let timer;
		const late = new Promise((resolve) => (timer = setTimeout(resolve, graceMs, 'timeout')));
		if ((await Promise.race([exited, late])) === 'timeout') {
			killTree(entry, 'SIGKILL');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
		}
		clearTimeout(timer);
	}
	killGroup();
	children.delete(entry);
}

/** Stops every tracked child, then runs the clean-up steps (last-in first-out). Idempotent. */
async function cleanupAll() {
	if (!cleaning) {
		cleaning = (async () => {
			// first whatever is still running (n8n, rgw-up.sh, ...), then the clean-up steps
			await Promise.all([...children].filter((e) => e.name !== 's3rver').map((e) => stopChild(e, 3000)));
			while (cleanups.length) {
				const step = cleanups.pop();
				try {
					await step();
				} catch (e) {
					log(`clean-up step failed: ${e.message}`);
				}
			}
			for (const entry of [...children]) await stopChild(entry, 2000);
		})();
	}
	return cleaning;
}

let handlersInstalled = false;
/** SIGINT/SIGTERM/SIGHUP: cleanupAll() then exit (130/143); a second signal SIGKILLs the children. */
function installSignalHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			if (signalled) {
				for (const entry of children) killTree(entry, 'SIGKILL');
				process.exit(130);
			}
			signalled = true;
			log(`${sig}: stopping everything this run started...`);
			cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
		});
	}
}
process.on('exit', () => {
	for (const entry of children) killTree(entry, 'SIGKILL');
});

/**
 * Runs a command to completion. stdout+stderr go to `logFile` (and to the terminal with
 * `echo`). `group` starts it in its own process group so that it and its children (n8n's task
 * runner) can be stopped together. `onSpawn(child)` is called right after the spawn (e.g. to
 * sample its memory).
 */
function runCommand(file, args, { env, cwd, logFile, echo = false, group = false, timeoutMs = 0, name = path.basename(file), cleanup = false, onSpawn }) {
	return new Promise((resolve, reject) => {
		if (signalled && !cleanup) return reject(new Interrupted('interrupted'));
		const out = logFile ? fs.openSync(logFile, 'a') : null;
		const child = spawn(file, args, { env, cwd, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
		const entry = { child, name, group };
		children.add(entry);
		let text = '';
		const onData = (chunk) => {
			text += chunk;
			if (text.length > 4e6) text = text.slice(-2e6); // keep the tail of long logs
			if (out !== null) fs.writeSync(out, chunk);
			if (echo) process.stderr.write(chunk);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let timedOut = false;
		const timer = timeoutMs
			? setTimeout(() => {
					timedOut = true;
					stopChild(entry);
				}, timeoutMs)
			: null;
		let finished = false;
		const finish = () => {
			if (finished) return false;
			finished = true;
			if (timer) clearTimeout(timer);
			children.delete(entry);
			if (out !== null) fs.closeSync(out);
			return true;
		};
		child.on('error', (e) => {
			if (finish()) reject(e); // e.g. ENOENT: nothing was started
		});
		child.on('close', (code, signal) => {
			if (group && child.pid) {
				try {
					process.kill(-child.pid, 'SIGKILL'); // nothing of its group may outlive it
				} catch {
					// none left
				}
			}
			if (finish()) resolve({ code, signal, output: text, timedOut });
		});
		if (onSpawn && child.pid) onSpawn(child);
	});
}

/**
 * Starts a long-running tracked process (e.g. `n8n start`) and returns at once.
 * @returns {{ child, entry, output: () => string, exited: Promise<{code, signal}>, stop: (graceMs?) => Promise<void> }}
 * Output goes to `logFile` (and stderr with `echo`); stopped by cleanupAll() unless stopped before.
 */
function startProcess(file, args, { env, cwd, logFile, echo = false, group = true, name = path.basename(file) }) {
	if (signalled) throw new Interrupted('interrupted');
	const out = logFile ? fs.openSync(logFile, 'a') : null;
	const child = spawn(file, args, { env, cwd, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
	const entry = { child, name, group };
	children.add(entry);
	let text = '';
	const onData = (chunk) => {
		text += chunk;
		if (text.length > 4e6) text = text.slice(-2e6);
		if (out !== null) fs.writeSync(out, chunk);
		if (echo) process.stderr.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) => {
		let done = false;
		const fin = (code, signal) => {
			if (done) return;
			done = true;
			children.delete(entry);
			if (out !== null) fs.closeSync(out);
			resolve({ code, signal });
		};
		child.on('error', () => fin(null, 'spawn-error'));
		child.on('close', fin);
	});
	return { child, entry, exited, output: () => text, stop: (graceMs = 5000) => stopChild(entry, graceMs) };
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function portFree(port) {
	return await new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

// ------------------------------------------------------------------------------ S3 servers
/**
 * Starts (or connects to) the S3 server.
 * opts: { s3: 's3rver'|'rgw'|'external', keep, verbose,
 *         osdStore ('memstore'|'bluestore', rgw; env OSD_STORE otherwise, default memstore),
 *         storeGb (rgw: memstore cap / bluestore file size; default 8), rgwTimeout (s),
 *         bucket (default n8n-demo; external: E2E_BUCKET) }
 * runDir: where s3rver keeps its files. The RGW lives in e2e/.work/rgw-<pid>[-n] and is stopped
 * (and deleted unless opts.keep) by cleanupAll().
 * @returns {{kind, label, endpoint, accessKeyId, secretAccessKey, region, forcePathStyle, bucket, fresh, checksSignatures, dir?, stop}}
 */
let rgwCount = 0;
async function startS3(opts, runDir) {
	const bucket = opts.bucket || DEFAULT_BUCKET;
	if (opts.s3 === 's3rver') {
		const dir = path.join(runDir, 's3rver-data');
		fs.mkdirSync(dir, { recursive: true });
		const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(E2E, 's3rver-child.js'), dir, '0'], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
			env: { ...process.env, NODE_OPTIONS: '' },
		});
		const entry = { child, name: 's3rver', group: false };
		children.add(entry);
		cleanups.push(() => stopChild(entry));
		const port = await new Promise((resolve, reject) => {
			let buf = '';
			let err = '';
			const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s\n${err}`)), 20000);
			child.stdout.on('data', (c) => {
				buf += c;
				const line = buf.split('\n').find((l) => l.startsWith('{'));
				if (line) {
					clearTimeout(timer);
					resolve(JSON.parse(line).port);
				}
			});
			child.stderr.on('data', (c) => (err += c));
			child.on('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`s3rver exited (code ${code}) before it was ready\n${err}`));
			});
		});
		const version = JSON.parse(fs.readFileSync(require.resolve('s3rver/package.json', { paths: [ROOT] }), 'utf8')).version;
		return {
			kind: 's3rver',
			label: `s3rver ${version}`,
			endpoint: `http://127.0.0.1:${port}`,
			accessKeyId: 'S3RVER',
			secretAccessKey: 'S3RVER',
			region: 'us-east-1',
			forcePathStyle: true,
			bucket,
			fresh: true,
			checksSignatures: false,
			pids: () => [child.pid],
			stop: () => stopChild(entry),
		};
	}

	if (opts.s3 === 'rgw') {
		const ensure = await runCommand(path.join(ROOT, 'scripts', 'ensure-ceph.sh'), [], { env: process.env, cwd: ROOT, echo: true });
		if (ensure.code !== 0) throw new Error('Ceph is not installed (scripts/ensure-ceph.sh failed, see above)');
		rgwCount++;
		const rgwDir = path.join(WORK, `rgw-${process.pid}${rgwCount > 1 ? `-${rgwCount}` : ''}`);
		const rand = (min, max) => min + Math.floor(Math.random() * (max - min + 1));
		let ports;
		for (let i = 0; i < 100 && !ports; i++) {
			// below the ephemeral range and away from the jest run's ranges (10000-12999, 20000-29999)
			const rgw = rand(7500, 7999);
			const mon = rand(13300, 14998);
			const osdMin = rand(16800, 18899);
			if ((await portFree(rgw)) && (await portFree(mon)) && (await portFree(mon + 1)) && (await portFree(osdMin))) ports = { rgw, mon, osdMin };
		}
		if (!ports) throw new Error('no free ports for the RGW');
		const keys = {
			accessKeyId: `N8NE2E${crypto.randomBytes(7).toString('hex').toUpperCase()}`,
			secretAccessKey: crypto.randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
		};
		const env = {
			...process.env,
			RGW_DIR: rgwDir,
			RGW_PORT: String(ports.rgw),
			MON_PORT: String(ports.mon),
			OSD_PORT_MIN: String(ports.osdMin),
			RGW_ACCESS_KEY: keys.accessKeyId,
			RGW_SECRET_KEY: keys.secretAccessKey,
			...(opts.osdStore ? { OSD_STORE: opts.osdStore } : {}),
			...(opts.storeGb ? { STORE_GB: String(opts.storeGb) } : {}),
			...(opts.rgwTimeout ? { RGW_TIMEOUT: String(opts.rgwTimeout) } : {}),
		};
		let stopped = false;
		const stop = async () => {
			if (stopped) return;
			stopped = true;
			const down = await runCommand(path.join(ROOT, 'scripts', 'rgw-down.sh'), [], {
				env: { ...env, RGW_DOWN_TIMEOUT: '0', RGW_KEEP: opts.keep ? '1' : '0' },
				cwd: ROOT,
				cleanup: true,
			});
			if (down.code !== 0) log(`scripts/rgw-down.sh: exit ${down.code}\n${tail(down.output, 10)}`);
		};
		cleanups.push(stop);
		const up = await runCommand(path.join(ROOT, 'scripts', 'rgw-up.sh'), [], { env, cwd: ROOT, echo: opts.verbose, name: 'rgw-up.sh' });
		if (up.code !== 0) throw new Error(`scripts/rgw-up.sh failed:\n${tail(up.output)}`);
		const m = /export S3_ENDPOINT=(\S+)/.exec(up.output);
		if (!m) throw new Error(`scripts/rgw-up.sh printed no S3_ENDPOINT:\n${tail(up.output)}`);
		const pids = () => {
			const out = [];
			for (const n of ['radosgw', 'ceph-osd', 'ceph-mon']) {
				try {
					out.push(Number(fs.readFileSync(path.join(rgwDir, 'run', `${n}.pid`), 'utf8')));
				} catch {
					// not recorded
				}
			}
			return out;
		};
		return {
			kind: 'rgw',
			label: `Ceph RGW (throw-away, ${env.OSD_STORE || 'memstore'})`,
			endpoint: m[1],
			...keys,
			region: 'us-east-1',
			forcePathStyle: true,
			bucket,
			fresh: true,
			checksSignatures: true,
			dir: rgwDir,
			pids,
			stop,
		};
	}

	if (opts.s3 !== 'external') throw new UsageError(`--s3 must be s3rver, rgw or external, not "${opts.s3}"`);
	const e = process.env;
	if (!e.S3_TEST_ENDPOINT || !e.S3_TEST_ACCESS_KEY_ID || !e.S3_TEST_SECRET_ACCESS_KEY) {
		throw new UsageError('--s3=external needs S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY_ID and S3_TEST_SECRET_ACCESS_KEY');
	}
	return {
		kind: 'external',
		label: 'external S3',
		endpoint: e.S3_TEST_ENDPOINT.replace(/\/+$/, ''),
		accessKeyId: e.S3_TEST_ACCESS_KEY_ID,
		secretAccessKey: e.S3_TEST_SECRET_ACCESS_KEY,
		region: e.S3_TEST_REGION || 'us-east-1',
		forcePathStyle: !/^(false|0|no)$/i.test(e.S3_TEST_FORCE_PATH_STYLE ?? 'true'),
		bucket: opts.bucket || e.E2E_BUCKET || DEFAULT_BUCKET,
		fresh: false,
		checksSignatures: true,
		pids: () => [],
		stop: async () => {},
	};
}

// ---------------------------------------------------------------------------- n8n set-up
/**
 * The n8n every command here runs: by default the one in e2e/node_modules under this process's
 * Node.js; selectN8n() switches to another (e2e/lib/versions.js installs those).
 */
let current = { dir: N8N_DIR, bin: N8N_BIN, nodeBin: process.execPath, selected: false };
/** Makes later n8n commands use `sel`: { dir (the n8n package folder), bin, nodeBin }. */
function selectN8n(sel) {
	current = { dir: sel.dir, bin: sel.bin, nodeBin: sel.nodeBin, selected: true };
}
/** The selected n8n: { dir, bin, nodeBin (the Node.js it runs on), selected (false: the e2e/ default) }. */
const selectedN8n = () => ({ ...current });
/** The n8n version of e2e/package.json (the default one, in e2e/node_modules). */
const defaultN8nVersion = () => JSON.parse(fs.readFileSync(path.join(E2E, 'package.json'), 'utf8')).dependencies.n8n;

function n8nVersion() {
	return JSON.parse(fs.readFileSync(path.join(current.dir, 'package.json'), 'utf8')).version;
}

/** The version of the Node.js n8n runs on (e.g. "24.22.3"). */
function n8nNodeVersion() {
	if (current.nodeBin === process.execPath) return process.versions.node;
	return execFileSync(current.nodeBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}

/** Installs n8n in e2e/node_modules (npm ci) when it is missing (not for a selectN8n() one). opts: { verbose } */
async function ensureN8nInstalled(opts = {}) {
	if (current.selected || fs.existsSync(N8N_BIN)) return;
	log('n8n is not installed in e2e/node_modules: running npm install in e2e/ (one-time, a few minutes)');
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	// Under `npm run`, npm exports its own settings as npm_config_* (e.g. an empty
	// npm_config_allow_scripts, which a nested npm rejects as a usage error): start clean.
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
	// `npm install` (it keeps to the lock file): npm ci refuses this lock on registries that lack some
	// of n8n's optional platform packages, which npm then leaves out of the lock.
	const r = await runCommand(npm, ['install', '--no-audit', '--no-fund'], { env, cwd: E2E, echo: opts.verbose, name: 'npm' });
	if (r.code !== 0 || !fs.existsSync(N8N_BIN)) throw new Error(`npm install in e2e/ failed:\n${tail(r.output)}`);
}

/**
 * Environment for every n8n command: none of the caller's N8N_..., DB_... settings leak in.
 * `s3` (optional) is exposed as E2E_S3_ENDPOINT / _ACCESS_KEY_ID / _SECRET_ACCESS_KEY / _REGION
 * (the credential reads them: see credentialFor); `extra` overrides anything.
 */
function n8nEnv(userFolder, s3, brokerPort, extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_FUNCTION_ALLOW_|E2E_S3_)/.test(k)) continue;
		env[k] = v;
	}
	return Object.assign(env, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		// the credential reads the server's address and keys from these (see credentialFor)
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		GENERIC_TIMEZONE: 'UTC',
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
		// the Node.js n8n runs on first on PATH (for what n8n starts itself: its task runner, npm)
		...(current.nodeBin !== process.execPath ? { PATH: `${path.dirname(current.nodeBin)}${path.delimiter}${process.env.PATH}` } : {}),
		...(s3
			? {
					E2E_S3_ENDPOINT: s3.endpoint,
					E2E_S3_ACCESS_KEY_ID: s3.accessKeyId,
					E2E_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
					E2E_S3_REGION: s3.region,
				}
			: {}),
		...extra,
	});
}

/** The data of an `s3StorageApi` credential for the server `s3` (address and keys as they are). */
function credentialData(s3) {
	return {
		provider: 'other',
		endpoint: s3.endpoint,
		accessKeyId: s3.accessKeyId,
		secretAccessKey: s3.secretAccessKey,
		region: s3.region,
		forcePathStyle: s3.forcePathStyle ?? true,
		ignoreSslIssues: false,
	};
}

/** The S3 Storage credential (id s3DemoCredential); server address and keys come from the environment. */
function credentialFor(s3) {
	return [
		{
			id: CRED_ID,
			name: CRED_NAME,
			type: 's3StorageApi',
			data: {
				provider: 'other',
				endpoint: '={{ $env.E2E_S3_ENDPOINT }}',
				accessKeyId: '={{ $env.E2E_S3_ACCESS_KEY_ID }}',
				secretAccessKey: '={{ $env.E2E_S3_SECRET_ACCESS_KEY }}',
				region: '={{ $env.E2E_S3_REGION }}',
				forcePathStyle: s3.forcePathStyle,
				ignoreSslIssues: false,
			},
		},
	];
}

let n8nStarts = 0;
const n8nStartCount = () => n8nStarts;
/**
 * Runs one n8n CLI command to completion (its own process group, log in logDir/n8n-<logName>.log).
 * opts: { userFolder, s3, logName, logDir, opts: { verbose }, timeoutMs, env (extra env), onSpawn }
 */
async function n8n(args, { userFolder, s3, logName, logDir, opts = {}, timeoutMs = 0, env: extraEnv = {}, onSpawn }) {
	n8nStarts++;
	const brokerPort = await freePort();
	const logFile = path.join(logDir, `n8n-${logName}.log`);
	const started = Date.now();
	// E2E_N8N_NODE_ARGS: extra Node.js flags for n8n (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof)
	const nodeArgs = (process.env.E2E_N8N_NODE_ARGS || '').split(/\s+/).filter(Boolean);
	const r = await runCommand(current.nodeBin, [...nodeArgs, current.bin, ...args], {
		env: n8nEnv(userFolder, s3, brokerPort, extraEnv),
		cwd: userFolder,
		logFile,
		echo: opts.verbose,
		group: true,
		timeoutMs,
		name: `n8n ${args[0]}`,
		onSpawn,
	});
	return { ...r, logFile, ms: Date.now() - started };
}

const DB_FILES = ['config', 'database.sqlite', 'database.sqlite-wal', 'database.sqlite-shm'];
function copyDb(fromUserFolder, toUserFolder) {
	fs.mkdirSync(path.join(toUserFolder, '.n8n'), { recursive: true });
	for (const f of DB_FILES) {
		const src = path.join(fromUserFolder, '.n8n', f);
		if (fs.existsSync(src)) fs.copyFileSync(src, path.join(toUserFolder, '.n8n', f));
	}
}

/** Makes `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-s3-storage` a symlink to this package. */
function linkPackage(userFolder) {
	const dir = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(dir, { recursive: true });
	const link = path.join(dir, PACKAGE_NAME);
	if (!fs.existsSync(link)) fs.symlinkSync(PACKAGE_DIR, link, 'dir');
}

const sha = (s) => crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Gives `userFolder` an n8n database with the credentials and workflows imported, and the
 * package linked.
 *   { workflows: [workflow JSON, each with an id], credentials (default credentialFor(s3)), s3,
 *     fresh (import into userFolder directly, no cache), verbose, logDir (logs, scratch files) }
 * The two imports cost an n8n start each (≈ 5 s; the very first one also runs n8n's migrations,
 * ≈ 15 s), so their result is cached under e2e/.work/cache in two stages: the migrated database
 * with the credentials (key: n8n version + credentials), then that plus the workflows (key: + the
 * workflows' JSON). A run with nothing changed only copies files.
 * @returns {{ ms, how }}
 */
async function prepareUserFolder(userFolder, { workflows, credentials, s3, fresh = false, verbose = false, logDir }) {
	const started = Date.now();
	const opts = { verbose };
	const credJson = JSON.stringify(credentials ?? credentialFor(s3), null, 2);
	const wfJson = JSON.stringify(workflows);
	fs.mkdirSync(userFolder, { recursive: true });
	fs.mkdirSync(logDir, { recursive: true });

	async function importInto(folder, what) {
		const scratch = path.join(logDir, `import-${crypto.randomBytes(3).toString('hex')}`);
		fs.mkdirSync(scratch, { recursive: true });
		try {
			let r;
			if (what === 'credentials') {
				fs.writeFileSync(path.join(scratch, 'credentials.json'), credJson);
				r = await n8n(['import:credentials', `--input=${path.join(scratch, 'credentials.json')}`], { userFolder: folder, s3: null, logName: 'import-credentials', logDir, opts, timeoutMs: 180000 });
			} else {
				for (const w of workflows) fs.writeFileSync(path.join(scratch, `${w.id}.json`), JSON.stringify(w, null, 2));
				r = await n8n(['import:workflow', '--separate', `--input=${scratch}`], { userFolder: folder, s3: null, logName: 'import-workflows', logDir, opts, timeoutMs: 180000 });
			}
			if (r.code !== 0 || !/Successfully imported/.test(r.output)) {
				throw new Error(`n8n import:${what} failed (exit ${r.code ?? r.signal}); log ${r.logFile}:\n${tail(r.output)}`);
			}
			log(`  n8n import:${what}: ${secs(r.ms)}`);
		} finally {
			fs.rmSync(scratch, { recursive: true, force: true });
		}
	}

	if (fresh) {
		linkPackage(userFolder);
		await importInto(userFolder, 'credentials');
		await importInto(userFolder, 'workflows');
		return { ms: Date.now() - started, how: 'fresh imports (--fresh)' };
	}

	fs.mkdirSync(CACHE, { recursive: true });
	const version = n8nVersion();
	const credKey = `cred-${sha(JSON.stringify([CACHE_FORMAT, version, ENCRYPTION_KEY, credJson]))}`;
	const wfKey = `wf-${sha(JSON.stringify([credKey, wfJson]))}`;
	const credDir = path.join(CACHE, credKey);
	const wfDir = path.join(CACHE, wfKey);
	const hows = [];

	/** Builds a cache entry in a scratch folder and renames it into place (a concurrent run may win). */
	async function build(finalDir, fn) {
		const tmp = path.join(CACHE, `.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
		cleanups.push(async () => fs.rmSync(tmp, { recursive: true, force: true }));
		fs.mkdirSync(tmp, { recursive: true });
		linkPackage(tmp);
		await fn(tmp);
		fs.rmSync(path.join(tmp, '.n8n', 'nodes'), { recursive: true, force: true });
		try {
			fs.renameSync(tmp, finalDir);
		} catch {
			fs.rmSync(tmp, { recursive: true, force: true }); // another run made it first
		}
	}

	if (!fs.existsSync(path.join(wfDir, '.n8n', 'database.sqlite'))) {
		if (!fs.existsSync(path.join(credDir, '.n8n', 'database.sqlite'))) {
			log("  no cached n8n database for this n8n version and credential: importing the credential (first start runs n8n's migrations)");
			await build(credDir, (tmp) => importInto(tmp, 'credentials'));
			hows.push('credential imported');
		}
		log('  workflows changed since the cached database: importing the workflows');
		await build(wfDir, async (tmp) => {
			copyDb(credDir, tmp);
			await importInto(tmp, 'workflows');
		});
		hows.push('workflows imported');
		pruneCache([credKey, wfKey]);
	}
	copyDb(wfDir, userFolder);
	const now = new Date();
	for (const d of [wfDir, credDir]) if (fs.existsSync(d)) fs.utimesSync(d, now, now); // for pruneCache
	linkPackage(userFolder);
	return { ms: Date.now() - started, how: hows.length ? hows.join(', ') : `cached database (${path.relative(ROOT, wfDir)})` };
}

/** Keeps the cache small: the entries just used plus the 6 most recently used others. */
function pruneCache(keep) {
	const entries = fs
		.readdirSync(CACHE)
		.filter((n) => /^(cred|wf)-/.test(n) && !keep.includes(n))
		.map((n) => ({ n, t: fs.statSync(path.join(CACHE, n)).mtimeMs }))
		.sort((a, b) => b.t - a.t);
	for (const { n } of entries.slice(6)) fs.rmSync(path.join(CACHE, n), { recursive: true, force: true });
}

/** Removes what killed earlier runs left behind: work folders (run-, bench-) and RGWs whose process is gone. */
async function sweepStale() {
	if (!fs.existsSync(WORK)) return;
	const dead = [];
	for (const name of fs.readdirSync(WORK)) {
		const m = /^(run|rgw|bench|start)-(\d+)/.exec(name);
		if (!m || Number(m[2]) === process.pid || pidAlive(Number(m[2]))) continue;
		const full = path.join(WORK, name);
		if (m[1] === 'rgw') {
			await runCommand(path.join(ROOT, 'scripts', 'rgw-down.sh'), [], { env: { ...process.env, RGW_DIR: full, RGW_DOWN_TIMEOUT: '0' }, cwd: ROOT, cleanup: true });
			fs.rmSync(full, { recursive: true, force: true });
		} else dead.push({ full, t: fs.statSync(full).mtimeMs });
	}
	// keep the 3 newest left-over run folders (failed runs keep theirs for inspection)
	dead.sort((a, b) => b.t - a.t);
	for (const { full } of dead.slice(3)) fs.rmSync(full, { recursive: true, force: true });
	for (const name of fs.existsSync(CACHE) ? fs.readdirSync(CACHE) : []) {
		const m = /^\.tmp-(\d+)-/.exec(name);
		if (m && !pidAlive(Number(m[1]))) fs.rmSync(path.join(CACHE, name), { recursive: true, force: true });
	}
}

// ------------------------------------------------------------------------- results access
/** require() of a module n8n depends on (sqlite3, flatted, ...). */
const requireFromN8n = (m) => require(require.resolve(m, { paths: [current.dir, E2E] }));

/**
 * Runs `n8n execute-batch --snapshot` for the given workflow ids in one n8n process and reads the
 * results. { userFolder, s3, ids, snapDir, logDir, logName ('execute-batch'), opts: { verbose },
 * timeoutMs, env (extra n8n env), onSpawn(child) }
 * @returns {{ code, signal, output, timedOut, logFile, ms, result (execute-batch --output JSON or null),
 *            snapshots: { [workflowId]: snapshot JSON or null } }}
 * execute-batch writes a snapshot only for executions that succeed; see readExecutionsFromDb.
 */
async function executeBatch({ userFolder, s3, ids, snapDir, logDir, logName = 'execute-batch', opts = {}, timeoutMs = 5 * 60 * 1000, env, onSpawn }) {
	fs.mkdirSync(snapDir, { recursive: true });
	const resultFile = path.join(logDir, `${logName}.json`);
	fs.rmSync(resultFile, { force: true });
	for (const id of ids) fs.rmSync(path.join(snapDir, `${id}-snapshot.json`), { force: true });
	const r = await n8n(['execute-batch', `--ids=${ids.join(',')}`, `--snapshot=${snapDir}`, `--output=${resultFile}`, '--retries=0'], {
		userFolder,
		s3,
		logName,
		logDir,
		opts,
		timeoutMs,
		env,
		onSpawn,
	});
	const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : null;
	const snapshots = {};
	for (const id of ids) snapshots[id] = readSnapshot(snapDir, id);
	return { ...r, result, resultFile, snapshots };
}

/** The snapshot execute-batch wrote for a workflow, or null. */
function readSnapshot(snapDir, workflowId) {
	const f = path.join(snapDir, `${workflowId}-snapshot.json`);
	return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null;
}

/**
 * Best effort, for diagnostics: every execution in the n8n database of `userFolder` (uses
 * n8n's own sqlite3 and flatted).
 * @returns Map workflowId -> { status, startedAt, stoppedAt, data } (the last execution of each)
 */
async function readExecutionsFromDb(userFolder) {
	// the e2e/ n8n's sqlite3 first: it is built for this process's Node.js (another n8n's may not be)
	const sqlite3 = require(require.resolve('sqlite3', { paths: [N8N_DIR, current.dir, E2E] }));
	const { parse } = requireFromN8n('flatted');
	const db = new sqlite3.Database(path.join(userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY);
	try {
		const rows = await new Promise((resolve, reject) =>
			db.all(
				'SELECT e.workflowId AS workflowId, e.status AS status, e.startedAt AS startedAt, e.stoppedAt AS stoppedAt, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id ORDER BY e.id',
				(err, r) => (err ? reject(err) : resolve(r)),
			),
		);
		const out = new Map();
		for (const r of rows) out.set(r.workflowId, { status: r.status, startedAt: r.startedAt, stoppedAt: r.stoppedAt, data: parse(r.data) });
		return out;
	} finally {
		db.close();
	}
}

/** "node -> n items" lines of an execution's runData, with the error of the node that failed. */
function trail(x) {
	const lines = [];
	for (const [node, runs] of Object.entries(x.runData)) {
		runs.forEach((run, i) => {
			const tag = runs.length > 1 ? ` (run ${i + 1})` : '';
			if (run.error) {
				const e = run.error;
				lines.push(`${node}${tag} -> ERROR ${e.name ?? ''}: ${e.message}${e.description ? ` | ${e.description}` : ''}`);
			} else {
				const outs = (run.data?.main ?? []).map((o) => (o ?? []).length);
				lines.push(`${node}${tag} -> ${outs.length > 1 ? `outputs ${outs.join(' / ')} items` : `${outs[0] ?? 0} item(s)`}`);
			}
		});
	}
	return lines;
}

// ------------------------------------------------------------------------------ helpers
function httpGet(url, timeoutMs = 15000) {
	return new Promise((resolve, reject) => {
		const mod = url.startsWith('https:') ? https : http;
		const req = mod.get(url, { agent: false, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`GET timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
	});
}

/**
 * A run folder `WORK/<name>-<pid>-<time>` holding an n8n user folder (`userFolder`), removed when
 * the process ends unless `run.keep` is true then (set it after a failure to look at the logs; it
 * starts as opts.keep). A kept folder loses `.n8n/nodes/package.json`, so a later n8n started on it
 * does not try to install the linked package.
 * @returns {{ runDir: string, userFolder: string, keep: boolean }}
 */
function makeRunFolder(name, opts = {}) {
	const runDir = path.join(WORK, `${name}-${process.pid}-${Date.now()}`);
	const userFolder = path.join(runDir, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	const run = { runDir, userFolder, keep: !!opts.keep };
	addCleanup(async () => {
		if (run.keep) {
			fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'package.json'), { force: true });
			log(`work folder kept: ${path.relative(process.cwd(), runDir)}`);
		} else fs.rmSync(runDir, { recursive: true, force: true });
	});
	return run;
}

/** An AWS SDK v3 client (the package's own @aws-sdk/client-s3) for the server, with a few helpers. */
function sdkFor(s3) {
	const sdk = require(require.resolve('@aws-sdk/client-s3', { paths: [ROOT] }));
	const client = new sdk.S3Client({
		endpoint: s3.endpoint,
		region: s3.region,
		forcePathStyle: s3.forcePathStyle,
		credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		maxAttempts: 2,
	});
	const status = (e) => e?.$metadata?.httpStatusCode;
	return {
		client,
		sdk,
		async head(Bucket, Key) {
			try {
				return await client.send(new sdk.HeadObjectCommand({ Bucket, Key }));
			} catch (e) {
				if (status(e) === 404) return null;
				throw e;
			}
		},
		async text(Bucket, Key) {
			const r = await client.send(new sdk.GetObjectCommand({ Bucket, Key }));
			return await r.Body.transformToString();
		},
		async keys(Bucket, Prefix) {
			const r = await client.send(new sdk.ListObjectsV2Command({ Bucket, Prefix }));
			return (r.Contents ?? []).map((o) => o.Key);
		},
		async ensureBucket(Bucket) {
			try {
				await client.send(new sdk.HeadBucketCommand({ Bucket }));
			} catch (e) {
				if (status(e) !== 404) throw e;
				await client.send(new sdk.CreateBucketCommand({ Bucket }));
			}
		},
	};
}

// ------------------------------------------------------------------------- process memory
/** The pid and all its descendants (from /proc/<pid>/task/<tid>/children; Linux). */
function processTree(rootPid) {
	const out = [];
	const stack = [rootPid];
	while (stack.length) {
		const pid = stack.pop();
		out.push(pid);
		let tids = [];
		try {
			tids = fs.readdirSync(`/proc/${pid}/task`);
		} catch {
			continue;
		}
		for (const tid of tids) {
			let kids = '';
			try {
				kids = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
			} catch {
				continue;
			}
			for (const k of kids.trim().split(/\s+/).filter(Boolean)) stack.push(Number(k));
		}
	}
	return out;
}

/** Resident set size of one process in bytes (VmRSS), 0 when it is gone. */
function rssOf(pid) {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** CPU time a process has used (user + system), in ms; 0 when it is gone. */
function cpuMsOf(pid) {
	try {
		// fields after the ")" that ends the command name: state is 3rd, utime 14th, stime 15th
		const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
		return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
	} catch {
		return 0;
	}
}
const CLK_TCK = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
})();

/**
 * Samples the summed RSS of `rootPid` and its descendants every `intervalMs` (default 100),
 * with the CPU time they have used so far, and that of `otherPids()` (e.g. the S3 server's).
 * @returns {{ stop: () => { peak, last, samples, series: [[ms, rssBytes, treeCpuMs, otherCpuMs]] }, peak: () => number }}
 */
function sampleTreeRss(rootPid, intervalMs = 100, otherPids = () => []) {
	let peak = 0;
	let last = 0;
	let samples = 0;
	const series = [];
	const started = Date.now();
	const tick = () => {
		const pids = processTree(rootPid);
		let sum = 0;
		for (const p of pids) sum += rssOf(p);
		if (sum === 0) return;
		last = sum;
		samples++;
		if (sum > peak) peak = sum;
		let cpu = 0;
		for (const p of pids) cpu += cpuMsOf(p);
		let other = 0;
		for (const p of otherPids()) other += cpuMsOf(p);
		series.push([Date.now() - started, sum, cpu, other]);
	};
	tick();
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	return {
		peak: () => peak,
		stop() {
			clearInterval(timer);
			return { peak, last, samples, series };
		},
	};
}

module.exports = {
	// paths and constants
	E2E,
	ROOT,
	WORK,
	CACHE,
	N8N_DIR,
	N8N_BIN,
	PACKAGE_NAME,
	PACKAGE_DIR,
	NODE_TYPE,
	CRED_ID,
	CRED_NAME,
	DEFAULT_BUCKET,
	ENCRYPTION_KEY,
	// errors, logging
	UsageError,
	Interrupted,
	log,
	setLogPrefix,
	startedAt,
	secs,
	tail,
	// processes
	children,
	addCleanup,
	killTree,
	stopChild,
	cleanupAll,
	installSignalHandlers,
	isSignalled,
	bailIfInterrupted,
	runCommand,
	startProcess,
	pidAlive,
	freePort,
	portFree,
	processTree,
	rssOf,
	sampleTreeRss,
	cpuMsOf,
	makeRunFolder,
	// S3
	startS3,
	sdkFor,
	httpGet,
	// n8n
	n8nVersion,
	n8nNodeVersion,
	selectN8n,
	selectedN8n,
	defaultN8nVersion,
	ensureN8nInstalled,
	n8nEnv,
	credentialData,
	credentialFor,
	n8n,
	n8nStartCount,
	copyDb,
	linkPackage,
	prepareUserFolder,
	pruneCache,
	sweepStale,
	executeBatch,
	readSnapshot,
	readExecutionsFromDb,
	requireFromN8n,
	trail,
};
