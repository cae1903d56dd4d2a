#!/usr/bin/env node
'use strict';
/*
 * End-to-end harness: runs every workflow in examples/ in a real n8n (2.8.4, installed in
 * e2e/node_modules) with this package loaded as a community node, against a throw-away S3 server.
 *
 *   node e2e/run.js --demo      readable report of what each example workflow did
 *   node e2e/run.js --assert    concrete checks per workflow; exit code 1 on any failure
 *   (both flags may be given; with neither, --demo)
 *
 * Options:
 *   --s3=s3rver|rgw|external   S3 server (env E2E_S3; default s3rver)
 *        s3rver    the npm package s3rver on 127.0.0.1, free port, temp dir (no signature checks)
 *        rgw       a throw-away Ceph RGW (scripts/rgw-up.sh; needs ceph: scripts/ensure-ceph.sh)
 *        external  an existing server: S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY_ID,
 *                  S3_TEST_SECRET_ACCESS_KEY, S3_TEST_REGION (us-east-1), S3_TEST_FORCE_PATH_STYLE (true);
 *                  bucket E2E_BUCKET (default n8n-demo; created when missing). Writes under
 *                  shared/, gallery/, incoming/, processed/, archive/, tmp-batch/ in that bucket.
 *   --only=a,b        run only these examples (file names, with or without .json)
 *   --examples=DIR    run the workflows in DIR instead of examples/ (unknown files: must run without error)
 *   --fresh           do not use the cached n8n database (env E2E_FRESH=1)
 *   --keep            keep the work folder (n8n user folder, snapshots, logs) after a successful run
 *   --verbose         echo n8n's output live
 * Env: E2E_S3, E2E_FRESH=1, E2E_BUCKET (external only), E2E_N8N_LOG_LEVEL (default info),
 *      E2E_TIMEOUT_MS (execute-batch, default 300000), E2E_PACKAGE_DIR (what to link instead of
 *      this checkout, e.g. an unpacked `npm pack`; it needs its dependencies resolvable).
 *
 * How: start S3 -> n8n user folder under e2e/.work/ with the package symlinked as
 * .n8n/nodes/node_modules/n8n-nodes-s3-storage -> `n8n import:credentials` + `n8n import:workflow`
 * (cached: see prepareUserFolder) -> one `n8n execute-batch --snapshot` for all workflows ->
 * read each execution's node outputs from its snapshot -> checks (plain HTTP GETs of presigned
 * URLs, the bucket's final state through the AWS SDK) -> report. Everything started here (S3
 * server, n8n and its task runner) is stopped at the end, on error and on Ctrl-C.
 *
 * The credential the workflows use is imported once with expressions ({{ $env.E2E_S3_* }}), so
 * the prepared database does not depend on the server's port and can be reused between runs;
 * n8n gets N8N_BLOCK_ENV_ACCESS_IN_NODE=false for that.
 */

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const util = require('node:util');

const E2E = __dirname;
const ROOT = path.resolve(E2E, '..');
const WORK = path.join(E2E, '.work');
const CACHE = path.join(WORK, 'cache');
let EXAMPLES = path.join(ROOT, 'examples');
const N8N_BIN = path.join(E2E, 'node_modules', 'n8n', 'bin', 'n8n');
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
const EXEC_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 5 * 60 * 1000);
const ORDER = ['upload-and-share.json', 'list-with-signed-urls.json', 'download-transform-reupload.json', 'delete-folder.json', 'handle-missing-object.json'];

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// ------------------------------------------------------------------------------------ options
function parseArgs(argv) {
	const o = { demo: false, assert: false, s3: process.env.E2E_S3 || 's3rver', only: null, fresh: process.env.E2E_FRESH === '1', keep: false, verbose: false };
	for (const a of argv) {
		if (a === '--demo') o.demo = true;
		else if (a === '--assert') o.assert = true;
		else if (a.startsWith('--s3=')) o.s3 = a.slice(5);
		else if (a.startsWith('--only=')) o.only = a.slice(7).split(',').filter(Boolean).map((s) => (s.endsWith('.json') ? s : `${s}.json`));
		else if (a.startsWith('--examples=')) EXAMPLES = path.resolve(a.slice(11));
		else if (a === '--fresh') o.fresh = true;
		else if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--help' || a === '-h') {
			const text = fs.readFileSync(__filename, 'utf8');
			const doc = text.slice(text.indexOf('/*') + 2, text.indexOf(' * How:'));
			process.stdout.write(`${doc.split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim()}\n`);
			process.exit(0);
		} else throw new UsageError(`unknown argument "${a}" (see --help)`);
	}
	if (!['s3rver', 'rgw', 'external'].includes(o.s3)) throw new UsageError(`--s3 must be s3rver, rgw or external, not "${o.s3}"`);
	if (!o.demo && !o.assert) o.demo = true;
	return o;
}
class UsageError extends Error {}
class Interrupted extends Error {}
const bailIfInterrupted = () => {
	if (signalled) throw new Interrupted('interrupted');
};

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (msg) => process.stderr.write(`[e2e ${secs(Date.now() - t0).padStart(6)}] ${msg}\n`);

// ------------------------------------------------------------------- process bookkeeping
/** Children started here: { child, name, group } (group: detached, killed as a process group). */
const children = new Set();
/** Clean-up steps, run last-in first-out. */
const cleanups = [];
let cleaning = null;

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

let signalled = false;
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
process.on('exit', () => {
	for (const entry of children) killTree(entry, 'SIGKILL');
});

/**
 * Runs a command to completion. stdout+stderr go to `logFile` (and to the terminal with
 * `echo`). `group` starts it in its own process group so that it and its children (n8n's task
 * runner) can be stopped together.
 */
function runCommand(file, args, { env, cwd, logFile, echo = false, group = false, timeoutMs = 0, name = path.basename(file), cleanup = false }) {
	return new Promise((resolve, reject) => {
		if (signalled && !cleanup) return reject(new Interrupted('interrupted'));
		const out = logFile ? fs.openSync(logFile, 'a') : null;
		const child = spawn(file, args, { env, cwd, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
		const entry = { child, name, group };
		children.add(entry);
		let text = '';
		const onData = (chunk) => {
			text += chunk;
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
	});
}

function tail(text, lines = 40) {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
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
 * @returns {{kind, label, endpoint, accessKeyId, secretAccessKey, region, forcePathStyle, bucket, fresh, checksSignatures}}
 */
async function startS3(opts, runDir) {
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
			bucket: DEFAULT_BUCKET,
			fresh: true,
			checksSignatures: false,
		};
	}

	if (opts.s3 === 'rgw') {
		const ensure = await runCommand(path.join(ROOT, 'scripts', 'ensure-ceph.sh'), [], { env: process.env, cwd: ROOT, echo: true });
		if (ensure.code !== 0) throw new Error('Ceph is not installed (scripts/ensure-ceph.sh failed, see above)');
		const rgwDir = path.join(WORK, `rgw-${process.pid}`);
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
		};
		cleanups.push(async () => {
			const down = await runCommand(path.join(ROOT, 'scripts', 'rgw-down.sh'), [], {
				env: { ...env, RGW_DOWN_TIMEOUT: '0', RGW_KEEP: opts.keep ? '1' : '0' },
				cwd: ROOT,
				cleanup: true,
			});
			if (down.code !== 0) log(`scripts/rgw-down.sh: exit ${down.code}\n${tail(down.output, 10)}`);
		});
		const up = await runCommand(path.join(ROOT, 'scripts', 'rgw-up.sh'), [], { env, cwd: ROOT, echo: opts.verbose, name: 'rgw-up.sh' });
		if (up.code !== 0) throw new Error(`scripts/rgw-up.sh failed:\n${tail(up.output)}`);
		const m = /export S3_ENDPOINT=(\S+)/.exec(up.output);
		if (!m) throw new Error(`scripts/rgw-up.sh printed no S3_ENDPOINT:\n${tail(up.output)}`);
		return {
			kind: 'rgw',
			label: 'Ceph RGW (throw-away)',
			endpoint: m[1],
			...keys,
			region: 'us-east-1',
			forcePathStyle: true,
			bucket: DEFAULT_BUCKET,
			fresh: true,
			checksSignatures: true,
		};
	}

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
		bucket: e.E2E_BUCKET || DEFAULT_BUCKET,
		fresh: false,
		checksSignatures: true,
	};
}

// ------------------------------------------------------------------------------ examples
/** Reads examples/*.json; `bucket` replaces the example bucket name in node parameters. */
function loadExamples(only, bucket) {
	const files = fs
		.readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json'))
		.sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
	if (only) {
		const missing = only.filter((f) => !files.includes(f));
		if (missing.length) throw new UsageError(`no such example: ${missing.join(', ')} (have: ${files.join(', ')})`);
	}
	return files
		.filter((f) => !only || only.includes(f))
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
			const rewrite = (v) => {
				if (typeof v === 'string') return v === DEFAULT_BUCKET ? bucket : v;
				if (Array.isArray(v)) return v.map(rewrite);
				if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
				return v;
			};
			if (bucket !== DEFAULT_BUCKET) {
				for (const node of workflow.nodes ?? []) if (node.type === NODE_TYPE) node.parameters = rewrite(node.parameters);
			}
			return { file, workflow };
		});
}

/** Static checks every example must pass (they are also what users import into the editor). */
function checkExampleShape(examples, c) {
	const ids = new Map();
	for (const { file, workflow: w } of examples) {
		const where = `examples/${file}`;
		c.ok(typeof w.id === 'string' && /\d/.test(w.id) && w.id.length <= 36, `${where}: id "${w.id}" is a string with a digit (n8n execute-batch --ids needs one)`);
		c.ok(!ids.has(w.id), `${where}: id "${w.id}" is unique${ids.has(w.id) ? ` (also in ${ids.get(w.id)})` : ''}`);
		ids.set(w.id, file);
		const nodes = w.nodes ?? [];
		c.ok(nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger'), `${where}: has a Manual Trigger`);
		c.ok(nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote' && String(n.parameters?.content ?? '').length > 40), `${where}: has a Sticky Note documenting it`);
		const s3 = nodes.filter((n) => n.type === NODE_TYPE);
		const odd = s3.filter((n) => n.typeVersion !== 1 || n.credentials?.s3StorageApi?.id !== CRED_ID).map((n) => n.name);
		c.ok(s3.length > 0 && odd.length === 0, `${where}: its ${s3.length} S3 Storage nodes have typeVersion 1 and credential ${CRED_ID}`, odd.length ? `not so: ${odd.join(', ')}` : 'no S3 Storage node');
		const names = new Set(nodes.map((n) => n.name));
		const dangling = [];
		for (const [from, conn] of Object.entries(w.connections ?? {})) {
			if (!names.has(from)) dangling.push(from);
			for (const out of conn.main ?? []) for (const link of out ?? []) if (!names.has(link.node)) dangling.push(link.node);
		}
		c.ok(dangling.length === 0, `${where}: connections join existing nodes`, `unknown: ${dangling.join(', ')}`);
	}
}

// ---------------------------------------------------------------------------- n8n set-up
function n8nVersion() {
	return JSON.parse(fs.readFileSync(path.join(E2E, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
}

async function ensureN8nInstalled(opts) {
	if (fs.existsSync(N8N_BIN)) return;
	const lock = fs.existsSync(path.join(E2E, 'package-lock.json'));
	log(`n8n is not installed in e2e/node_modules: running npm ${lock ? 'ci' : 'install'} in e2e/ (one-time, a few minutes)`);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const r = await runCommand(npm, [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { env: process.env, cwd: E2E, echo: opts.verbose, name: 'npm' });
	if (r.code !== 0 || !fs.existsSync(N8N_BIN)) throw new Error(`npm ${lock ? 'ci' : 'install'} in e2e/ failed:\n${tail(r.output)}`);
}

/** Environment for every n8n command: none of the caller's N8N_..., DB_... settings leak in. */
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

/** The credential all example workflows use; server address and keys come from the environment. */
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
async function n8n(args, { userFolder, s3, logName, logDir, opts, timeoutMs = 0 }) {
	n8nStarts++;
	const brokerPort = await freePort();
	const logFile = path.join(logDir, `n8n-${logName}.log`);
	const started = Date.now();
	const r = await runCommand(process.execPath, [N8N_BIN, ...args], {
		env: n8nEnv(userFolder, s3, brokerPort),
		cwd: userFolder,
		logFile,
		echo: opts.verbose,
		group: true,
		timeoutMs,
		name: `n8n ${args[0]}`,
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
 * Gives `userFolder` an n8n database with the credential and the example workflows imported.
 * The two imports cost an n8n start each (≈ 5 s; the very first one also runs n8n's migrations,
 * ≈ 15 s), so their result is cached under e2e/.work/cache in two stages: the migrated database
 * with the credential (key: n8n version + credential), then that plus the workflows (key: + the
 * workflows' JSON). A run with nothing changed only copies files. --fresh imports into
 * `userFolder` directly.
 * @returns {{ ms, how }}
 */
async function prepareUserFolder(userFolder, examples, s3, opts, logDir) {
	const started = Date.now();
	const credJson = JSON.stringify(credentialFor(s3), null, 2);
	const workflows = examples.map((e) => e.workflow);
	const wfJson = JSON.stringify(workflows);

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

	if (opts.fresh) {
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
			log('  no cached n8n database for this n8n version and credential: importing the credential (first start runs n8n\'s migrations)');
			await build(credDir, (tmp) => importInto(tmp, 'credentials'));
			hows.push('credential imported');
		}
		log('  examples changed since the cached database: importing the workflows');
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

/** Keeps the cache small: the entries just used plus the 4 most recently used others. */
function pruneCache(keep) {
	const entries = fs
		.readdirSync(CACHE)
		.filter((n) => /^(cred|wf)-/.test(n) && !keep.includes(n))
		.map((n) => ({ n, t: fs.statSync(path.join(CACHE, n)).mtimeMs }))
		.sort((a, b) => b.t - a.t);
	for (const { n } of entries.slice(4)) fs.rmSync(path.join(CACHE, n), { recursive: true, force: true });
}

/** Removes what killed earlier runs left behind: work folders and RGWs whose process is gone. */
async function sweepStale() {
	if (!fs.existsSync(WORK)) return;
	const dead = [];
	for (const name of fs.readdirSync(WORK)) {
		const m = /^(run|rgw)-(\d+)/.exec(name);
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
/**
 * Best effort, for diagnostics only: every execution in the run's n8n database (execute-batch
 * writes a snapshot only for executions that succeed). Uses n8n's own sqlite3 and flatted.
 * @returns Map workflowId -> { status, startedAt, stoppedAt, data } (the last execution of each)
 */
async function readExecutionsFromDb(userFolder) {
	const need = (m) => require(require.resolve(m, { paths: [path.join(E2E, 'node_modules', 'n8n'), E2E] }));
	const sqlite3 = need('sqlite3');
	const { parse } = need('flatted');
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

/** "node -> n items" lines of an execution, with the error of the node that failed. */
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

class Execution {
	constructor(example, snapshot, summary, userFolder) {
		this.file = example.file;
		this.workflow = example.workflow;
		this.id = example.workflow.id;
		this.name = example.workflow.name;
		this.snapshot = snapshot;
		this.summary = summary; // this workflow's entry in execute-batch's --output
		this.userFolder = userFolder;
		this.runData = snapshot?.data?.resultData?.runData ?? {};
	}
	get ok() {
		return !!this.snapshot && this.snapshot.status === 'success';
	}
	/** Number of times the node ran. */
	runs(node) {
		return (this.runData[node] ?? []).length;
	}
	/** Items of a node's output (default: first run, first output). */
	items(node, { run = 0, output = 0 } = {}) {
		return this.runData[node]?.[run]?.data?.main?.[output] ?? [];
	}
	json(node, opts) {
		return this.items(node, opts).map((i) => i.json);
	}
	first(node) {
		return this.json(node)[0] ?? {};
	}
	param(node, name) {
		return this.workflow.nodes.find((n) => n.name === node)?.parameters?.[name];
	}
	/** Bytes of a binary kept in n8n's filesystem store, or undefined. */
	binaryBytes(binary) {
		const m = /^filesystem(?:-v2)?:(.+)$/.exec(binary?.id ?? '');
		if (!m) return binary?.data && binary.data !== 'filesystem-v2' ? Buffer.from(binary.data, 'base64') : undefined;
		const file = path.join(this.userFolder, '.n8n', 'storage', m[1]);
		return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
	}
	get startedAt() {
		return Date.parse(this.snapshot?.startedAt);
	}
	get stoppedAt() {
		return Date.parse(this.snapshot?.stoppedAt);
	}
}

/** Collects check results; `group` names what the next checks are about. */
class Checks {
	constructor() {
		this.results = [];
		this.group = '';
	}
	ok(cond, what, detail) {
		this.results.push({ group: this.group, ok: !!cond, what, detail: cond ? undefined : detail });
		return !!cond;
	}
	eq(actual, expected, what) {
		const same = util.isDeepStrictEqual(actual, expected);
		return this.ok(same, what, `expected ${fmt(expected)}, got ${fmt(actual)}`);
	}
	get failed() {
		return this.results.filter((r) => !r.ok);
	}
}
const fmt = (v) => {
	const s = typeof v === 'string' ? JSON.stringify(v) : util.inspect(v, { depth: 4, breakLength: Infinity });
	return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

const md5 = (buf) => crypto.createHash('md5').update(buf).digest('hex');
const kb = (n) => (typeof n !== 'number' ? String(n) : n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);
const isoSec = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const shortUrl = (url) => {
	try {
		const u = new URL(url);
		const sig = u.searchParams.get('X-Amz-Signature') ?? '';
		return `${u.origin}${u.pathname}?X-Amz-Expires=${u.searchParams.get('X-Amz-Expires')}&X-Amz-Signature=${sig.slice(0, 12)}…`;
	} catch {
		return String(url);
	}
};

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
	};
}

/** A presigned URL answers a plain GET with exactly `expected`; a tampered one is refused. */
async function checkPresignedGet(c, env, url, expected, label, say) {
	let res;
	try {
		res = await httpGet(url);
	} catch (e) {
		c.ok(false, `${label}: plain HTTP GET of the presigned URL works`, e.message);
		return;
	}
	c.eq(res.status, 200, `${label}: plain HTTP GET of the presigned URL answers 200`);
	const same = expected !== undefined && Buffer.compare(res.body, expected) === 0;
	c.ok(same, `${label}: the presigned URL returns the same ${expected?.length ?? '?'} bytes`, `got ${res.body.length} bytes: ${fmt(res.body.toString('utf8').slice(0, 120))}`);
	if (say) say(`plain HTTP GET of that URL -> ${res.status}, ${kb(res.body.length)}${same ? ', the same bytes' : ', DIFFERENT bytes'}`);
	if (env.s3.checksSignatures) {
		const u = new URL(url);
		const sig = u.searchParams.get('X-Amz-Signature') ?? '';
		u.searchParams.set('X-Amz-Signature', (sig[0] === '0' ? '1' : '0') + sig.slice(1));
		const bad = await httpGet(u.toString()).catch((e) => ({ status: e.message }));
		c.eq(bad.status, 403, `${label}: the same URL with a tampered signature is refused (403)`);
		if (say) say(`same URL with one signature character changed -> ${bad.status}`);
	}
}

/** Lines about the "make sure the bucket exists" steps every example starts with. */
function bucketStep(x, c, env) {
	env.bucketSteps++;
	const got = x.first('Bucket exists?');
	c.eq(got.name, env.bucket, 'Bucket exists? names the bucket');
	c.ok(typeof got.exists === 'boolean', 'Bucket exists? answers exists: true/false (a missing bucket is not an error)', fmt(got));
	if (x.runs('Create bucket')) {
		const made = x.first('Create bucket');
		c.eq(made.name, env.bucket, 'Create bucket created the bucket');
		c.eq(got.exists, false, 'Create bucket ran only because the bucket was missing');
		env.created.push(x.file);
		return `bucket ${env.bucket}: missing, so Create bucket made it (region ${made.region})`;
	}
	c.eq(got.exists, true, 'Create bucket was skipped because the bucket exists');
	return `bucket ${env.bucket}: exists already (region ${got.region}), Create bucket skipped`;
}

// -------------------------------------------------------------------- per-example checks
const SPECS = {
	'upload-and-share.json': async (x, c, env, say) => {
		say(bucketStep(x, c, env));
		const rows = x.json('Make report rows');
		const file = x.items('Convert to CSV file')[0]?.binary?.data;
		c.eq(rows.length, 3, 'Make report rows gives 3 rows');
		c.ok(file && file.fileName === 'sales-report.csv' && file.mimeType === 'text/csv', 'Convert to File made sales-report.csv (text/csv)', fmt(file));
		const stored = x.binaryBytes(file);
		c.ok(file?.id, "the CSV is in n8n's binary data store (filesystem), so Upload streams it", fmt(file));
		say(`Convert to File -> ${file?.fileName}, ${kb(file?.bytes)}, ${file?.mimeType}, kept in n8n's ${file?.id ? 'filesystem binary store' : 'item (base64)'}`);

		const up = x.first('Upload report');
		const key = 'shared/sales-report.csv';
		c.eq(x.json('Upload report').length, 1, 'Upload report gives one item');
		c.eq([up.bucket, up.key, up.contentType], [env.bucket, key, 'text/csv'], 'Upload report: bucket, key and content type');
		c.eq(up.size, file?.bytes, 'Upload report: size is the file size');
		if (stored) c.eq(up.etag, md5(stored), 'Upload report: etag is the MD5 of the bytes n8n had (single-part upload)');
		c.ok(/^[0-9a-f]{32}$/.test(up.etag ?? ''), 'Upload report: etag without quotes', fmt(up.etag));
		say(`Upload report -> ${up.key}: ${kb(up.size)}, ${up.contentType}, etag ${up.etag}`);

		const link = x.first('Get share link');
		c.eq([link.method, link.bucket, link.key, link.expiresIn], ['GET', env.bucket, key, 3600], 'Get share link: method, bucket, key, expiresIn');
		const base = env.s3.forcePathStyle ? `${env.s3.endpoint}/${env.bucket}/${key}?` : null;
		if (base) c.ok(String(link.url).startsWith(base), 'Get share link: a path-style URL on the credential\'s endpoint', `${link.url} does not start with ${base}`);
		c.ok(/[?&]X-Amz-Signature=[0-9a-f]{64}/.test(link.url) && /[?&]X-Amz-Expires=3600(&|$)/.test(link.url), 'Get share link: a SigV4 query-signed URL valid 3600 s', link.url);
		const exp = Date.parse(link.expiresAt);
		c.ok(exp >= x.startedAt + 3600e3 - 2000 && exp <= x.stoppedAt + 3600e3 + 2000, 'Get share link: expiresAt is one hour after the run', `${link.expiresAt} vs run ${x.snapshot.startedAt}`);
		say(`Get share link -> GET URL valid 3600 s (until ${isoSec(exp)}):`);
		say(`  ${shortUrl(link.url)}`);
		await checkPresignedGet(c, env, link.url, stored, 'share link', say);
		if (stored) {
			const lines = stored.toString('utf8').trim().split(/\r?\n/);
			c.eq(lines[0], 'day,orders,revenue', 'the shared CSV has the header row');
			c.eq(lines.length, 4, 'the shared CSV has 3 data rows');
		}
		const head = await env.sdk.head(env.bucket, key);
		c.ok(head, `${key} exists in the bucket (HeadObject)`);
		if (head) {
			c.eq(head.ContentType, 'text/csv', `${key}: stored Content-Type`);
			c.eq(head.Metadata?.source, 'n8n-example', `${key}: the metadata option was stored (x-amz-meta-source)`);
		}
	},

	'list-with-signed-urls.json': async (x, c, env, say) => {
		say(bucketStep(x, c, env));
		const samples = x.json('Three sample images');
		const uploads = x.json('Upload images');
		const keys = samples.map((s) => `gallery/${s.name}`);
		c.eq(uploads.map((u) => u.key), keys, 'Upload images: one upload per item, in order');
		c.ok(uploads.every((u, i) => u.size === Buffer.byteLength(samples[i].svg) && u.contentType === 'image/svg+xml'), 'Upload images: sizes and content type image/svg+xml', fmt(uploads));
		say(`Upload images -> ${uploads.map((u) => `${u.key} (${kb(u.size)})`).join(', ')}`);

		c.eq(x.runs('List gallery with links'), 1, 'List gallery with links ran once (Execute Once)');
		const listed = x.json('List gallery with links');
		c.eq(listed.map((o) => o.key), [...keys].sort(), 'List gallery with links lists the 3 objects');
		const run = { start: x.startedAt, stop: x.stoppedAt };
		for (const o of listed) {
			const i = keys.indexOf(o.key);
			const u = uploads[i] ?? {};
			c.eq([o.size, o.etag], [u.size, u.etag], `${o.key}: size and etag as uploaded`);
			const exp = Date.parse(o.urlExpiryDate);
			c.ok(exp >= run.start + 900e3 - 2000 && exp <= run.stop + 900e3 + 2000, `${o.key}: urlExpiryDate 15 minutes after the run`, o.urlExpiryDate);
			c.ok(/[?&]X-Amz-Expires=900(&|$)/.test(o.presignedUrl ?? ''), `${o.key}: presignedUrl valid 900 s`, o.presignedUrl);
		}
		say(`List gallery with links (prefix gallery/, Presigned URLs on, 900 s) -> ${listed.length} objects, each with presignedUrl + urlExpiryDate:`);
		for (const o of listed) say(`  ${o.key.padEnd(20)} ${kb(o.size).padStart(6)}  ${shortUrl(o.presignedUrl)}`);
		let same = 0;
		for (const o of listed) {
			const svg = samples[keys.indexOf(o.key)]?.svg;
			const before = c.failed.length;
			await checkPresignedGet(c, env, o.presignedUrl, svg === undefined ? undefined : Buffer.from(svg), o.key);
			if (c.failed.length === before) same++;
		}
		say(`plain HTTP GET of the ${listed.length} URLs -> ${same} of ${listed.length} return exactly the uploaded image${env.s3.checksSignatures ? ' (and tampered signatures are refused with 403)' : ''}`);
		const html = x.first('Build HTML');
		c.eq(html.count, 3, 'Build HTML: 3 links');
		c.eq((String(html.html).match(/<img /g) ?? []).length, 3, 'Build HTML: 3 <img> tags');
		say(`Build HTML -> ${html.count} <img> links, ${kb(Buffer.byteLength(String(html.html)))} of HTML`);
	},

	'download-transform-reupload.json': async (x, c, env, say) => {
		say(bucketStep(x, c, env));
		const csv = String(x.param('Seed sample orders.csv', 'content'));
		const seed = x.first('Seed sample orders.csv');
		c.eq([seed.key, seed.size, seed.etag, seed.contentType], ['incoming/orders.csv', Buffer.byteLength(csv), md5(csv), 'text/csv'], 'Seed sample orders.csv: key, size, etag (MD5), content type');
		say(`Seed sample orders.csv -> ${seed.key}: ${kb(seed.size)} (text input)`);

		const dl = x.items('Download orders.csv')[0] ?? {};
		const bin = dl.binary?.data;
		c.eq([dl.json?.size, dl.json?.etag, dl.json?.contentType], [seed.size, seed.etag, 'text/csv'], 'Download orders.csv: size, etag and content type as stored');
		c.ok(bin && bin.fileName === 'orders.csv' && bin.mimeType === 'text/csv' && bin.id, "Download orders.csv: binary 'data' named orders.csv, in n8n's binary store", fmt(bin));
		const got = x.binaryBytes(bin);
		c.ok(got && got.toString('utf8') === csv, 'Download orders.csv: the stored binary is exactly the CSV', got ? fmt(got.toString('utf8')) : 'binary data file not found');
		say(`Download orders.csv -> binary ${bin?.fileName}, ${kb(bin?.bytes)}, ${bin?.mimeType} (streamed into n8n's binary store)`);

		const rows = x.json('Extract CSV rows');
		const lines = csv.trim().split(/\r?\n/);
		const header = lines[0].split(',');
		const orders = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
		c.eq(rows, orders, 'Extract from File reads the 5 rows');
		const byCountry = {};
		for (const o of orders) byCountry[o.country] = Math.round(((byCountry[o.country] ?? 0) + Number(o.amount)) * 100) / 100;
		const total = Math.round(orders.reduce((s, o) => s + Number(o.amount), 0) * 100) / 100;
		const summary = { source: 'incoming/orders.csv', orders: orders.length, total, byCountry };
		c.eq(x.first('Sum per country'), summary, 'Sum per country: totals');
		say(`Extract from File + Code -> ${rows.length} orders, total ${total}, per country ${Object.entries(byCountry).map(([k, v]) => `${k} ${v}`).join(', ')}`);

		const up = x.first('Upload summary');
		const text = JSON.stringify(summary, null, 2);
		c.eq([up.key, up.size, up.etag, up.contentType], ['processed/orders-summary.json', Buffer.byteLength(text), md5(text), 'application/json'], 'Upload summary: key, size, etag, content type guessed from .json');
		say(`Upload summary -> ${up.key}: ${kb(up.size)}, ${up.contentType}`);

		const mv = x.first('Archive orders.csv');
		c.eq([mv.sourceKey, mv.key, mv.etag], ['incoming/orders.csv', 'archive/orders.csv', seed.etag], 'Archive orders.csv: moved, same etag');
		say(`Archive orders.csv -> moved ${mv.sourceKey} to ${mv.key}`);
		const back = x.first('Read summary back');
		c.eq(back.data, summary, 'Read summary back (Output Type JSON) gives the parsed summary');
		say(`Read summary back (Output Type JSON) -> ${fmt(back.data)}`);

		c.eq(await env.sdk.head(env.bucket, 'incoming/orders.csv'), null, 'incoming/orders.csv is gone after the move');
		c.eq((await env.sdk.head(env.bucket, 'archive/orders.csv'))?.ContentLength, seed.size, 'archive/orders.csv exists with the CSV\'s size');
		c.eq(JSON.parse(await env.sdk.text(env.bucket, 'processed/orders-summary.json')), summary, 'processed/orders-summary.json in the bucket is the summary');
	},

	'delete-folder.json': async (x, c, env, say) => {
		say(bucketStep(x, c, env));
		const folder = x.first('Create folder');
		c.eq([folder.bucket, folder.key], [env.bucket, 'tmp-batch/'], 'Create folder: tmp-batch/ (trailing slash added)');
		const files = x.json('Upload files').map((u) => u.key);
		const expectedFiles = ['tmp-batch/part-1.txt', 'tmp-batch/part-2.txt', 'tmp-batch/part-3.txt'];
		c.eq(files, expectedFiles, 'Upload files: three files in the folder');
		say(`Create folder -> ${folder.key}; Upload files -> ${files.length} files`);
		c.eq(x.runs('List folder'), 1, 'List folder ran once (Execute Once)');
		const before = x.json('List folder').map((o) => o.key);
		c.eq(before, ['tmp-batch/', ...expectedFiles], 'List folder: the marker and the 3 files');
		say(`List folder -> ${before.length} objects: ${before.join(', ')}`);
		c.eq(x.runs('Delete folder'), 1, 'Delete folder ran once (Execute Once)');
		const del = x.first('Delete folder');
		c.eq([...(del.deleted ?? [])].sort(), ['tmp-batch/', ...expectedFiles], 'Delete folder: deleted the marker and the 3 files');
		c.eq(del.errors, [], 'Delete folder: no errors');
		say(`Delete folder -> deleted ${del.deleted?.length} objects, ${del.errors?.length} errors, ${del.requests} requests`);
		const after = x.json('List folder again').filter((j) => j && j.key !== undefined);
		c.eq(after, [], 'List folder again: nothing left');
		c.eq(await env.sdk.keys(env.bucket, 'tmp-batch/'), [], 'no key under tmp-batch/ in the bucket (ListObjectsV2)');
		say(`List folder again -> ${after.length} objects (the folder is gone)`);
	},
};

/**
 * A failing item leaves through the error output under "On Error: Continue (using error
 * output)", and is { error, code, httpStatusCode } under "Continue" (e2e/NODE_BUGS.md, bug 1).
 */
SPECS['handle-missing-object.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	const ok = x.json('Get settings.json', { output: 0 });
	const failed = x.json('Get settings.json', { output: 1 });
	say(`Get settings.json (missing key; On Error: error output) -> success output ${ok.length} item(s), error output ${failed.length}: ${fmt(failed[0]?.error ?? null)}`);
	c.eq([ok.length, failed.length], [0, 1], 'Get settings.json: the failed item goes to the error output, none to the success output');
	c.ok(typeof failed[0]?.error === 'string' && failed[0].error.includes('settings/missing.json'), 'Get settings.json: the error item names the key', fmt(failed[0] ?? ok[0]));
	c.eq([x.runs('Found it'), x.runs('Use defaults')], [0, 1], 'the error branch ran, the success branch did not');
	const dl = x.first('Download settings.json');
	say(`Download settings.json (On Error: Continue) -> ${fmt(dl)}`);
	c.eq([dl.code, dl.httpStatusCode], ['NoSuchKey', 404], 'Download settings.json: { error, code: NoSuchKey, httpStatusCode: 404 } on the normal output');
	c.ok(typeof dl.error === 'string' && dl.error.length > 0, 'Download settings.json: error message', fmt(dl));
};

/** Any other example: it must run without error; the report lists its nodes' item counts. */
async function genericSpec(x, c, env, say) {
	for (const node of Object.keys(x.runData)) say(`${node} -> ${x.json(node).length} item(s)`);
}

// ------------------------------------------------------------------------------------ main
async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const timings = [];
	const phase = async (name, fn) => {
		const s = Date.now();
		try {
			return await fn();
		} finally {
			timings.push([name, Date.now() - s]);
		}
	};

	if (!fs.existsSync(path.join(PACKAGE_DIR, 'dist', 'nodes', 'S3Storage', 'S3Storage.node.js'))) {
		throw new UsageError('dist/ is missing: run `npm run build` first (npm run demo / npm run test:e2e do)');
	}
	fs.mkdirSync(WORK, { recursive: true });
	await sweepStale();
	await ensureN8nInstalled(opts);

	const runDir = path.join(WORK, `run-${process.pid}-${Date.now()}`);
	const userFolder = path.join(runDir, 'n8n');
	const snapDir = path.join(runDir, 'snapshots');
	fs.mkdirSync(snapDir, { recursive: true });
	fs.mkdirSync(userFolder, { recursive: true });
	let keepRunDir = opts.keep;
	cleanups.push(async () => {
		if (keepRunDir) {
			// n8n's generated .n8n/nodes/package.json (name "installed-nodes") would make jest's haste
			// map report a naming collision between two kept folders
			fs.rmSync(path.join(userFolder, '.n8n', 'nodes', 'package.json'), { force: true });
			log(`work folder kept: ${path.relative(process.cwd(), runDir) || runDir}`);
		} else fs.rmSync(runDir, { recursive: true, force: true });
	});

	const checks = new Checks();
	try {
		log(`starting S3 (${opts.s3})...`);
		const s3 = await phase(`S3 start (${opts.s3})`, () => startS3(opts, runDir));
		bailIfInterrupted();
		log(`S3 ready: ${s3.label} at ${s3.endpoint}, bucket ${s3.bucket}`);

		const examples = loadExamples(opts.only, s3.bucket);
		checks.group = 'examples';
		checkExampleShape(examples, checks);

		log(`preparing the n8n user folder (${examples.length} workflows, credential ${CRED_ID})...`);
		const prep = await phase('n8n user folder', () => prepareUserFolder(userFolder, examples, s3, opts, runDir));
		bailIfInterrupted();
		log(`  ${prep.how}`);

		const ids = examples.map((e) => e.workflow.id);
		const resultFile = path.join(runDir, 'execute-batch.json');
		log(`n8n execute-batch: ${examples.length} workflows in one n8n process...`);
		const batch = await phase('n8n execute-batch', () =>
			n8n(['execute-batch', `--ids=${ids.join(',')}`, `--snapshot=${snapDir}`, `--output=${resultFile}`, '--retries=0'], {
				userFolder,
				s3,
				logName: 'execute-batch',
				logDir: runDir,
				opts,
				timeoutMs: EXEC_TIMEOUT_MS,
			}),
		);
		log(`  done in ${secs(batch.ms)} (exit ${batch.code ?? batch.signal}${batch.timedOut ? ', TIMED OUT' : ''})`);
		bailIfInterrupted();
		const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : null;
		checks.group = 'n8n';
		if (!checks.ok(result, 'n8n execute-batch wrote its results', `exit ${batch.code ?? batch.signal}; log ${batch.logFile}:\n${tail(batch.output)}`)) {
			keepRunDir = true;
		}
		if (result && /Unrecognized node type|is not known|Cannot find module/i.test(JSON.stringify(result.summary))) {
			checks.ok(false, `n8n loaded ${PACKAGE_NAME} from .n8n/nodes/node_modules`, fmt(result.summary));
		}

		const env = { s3, bucket: s3.bucket, sdk: sdkFor(s3), created: [], bucketSteps: 0 };
		let fromDb = null;
		const executions = [];
		for (const e of examples) {
			const snapFile = path.join(snapDir, `${e.workflow.id}-snapshot.json`);
			let snapshot = fs.existsSync(snapFile) ? JSON.parse(fs.readFileSync(snapFile, 'utf8')) : null;
			if (!snapshot) {
				// failed: take what ran from the database, to show where and why
				fromDb ??= await readExecutionsFromDb(userFolder).catch((err) => (log(`  (could not read n8n's database: ${err.message})`), new Map()));
				const row = fromDb.get(e.workflow.id);
				if (row) snapshot = { status: `${row.status} (from the database)`, startedAt: row.startedAt, stoppedAt: row.stoppedAt, data: row.data };
			}
			const summary = result?.executions?.find((r) => r.workflowId === e.workflow.id);
			executions.push(new Execution(e, snapshot, summary, userFolder));
		}

		const report = [];
		await phase('checks', async () => {
			for (const x of executions) {
				const lines = [];
				const say = (s) => lines.push(s);
				checks.group = x.file;
				const failedBefore = checks.failed.length;
				const err = result?.summary?.errors?.find((r) => r.workflowId === x.id)?.error ?? result?.summary?.warnings?.find((r) => r.workflowId === x.id)?.error;
				const why = [err ? `n8n: ${err}` : `no snapshot (status ${x.summary?.executionStatus ?? 'not run'})`, ...trail(x).map((l) => `  ${l}`)].join('\n');
				if (!x.ok) lines.push(...trail(x));
				if (checks.ok(x.ok, 'the workflow ran without error in n8n', why)) {
					try {
						await (SPECS[x.file] ?? genericSpec)(x, checks, env, say);
					} catch (e) {
						checks.ok(false, 'checks ran to the end', e.stack);
					}
				}
				const time = x.ok ? `${((x.stoppedAt - x.startedAt) / 1000).toFixed(2)} s in n8n` : 'FAILED';
				report.push({ x, lines, time, failed: checks.failed.length - failedBefore, err });
			}
			if (s3.fresh && env.bucketSteps > 0 && executions.every((x) => x.ok) && !opts.only) {
				checks.group = 'bucket';
				checks.eq(env.created.length, 1, `on an empty server exactly one workflow created bucket ${s3.bucket} (the others found it)`);
			}
		});
		env.sdk.client.destroy();

		const failed = checks.failed;
		if (failed.length) keepRunDir = true;
		const out = [];
		if (opts.demo) {
			out.push('');
			out.push(`S3 Storage node (${NODE_TYPE}) in n8n ${n8nVersion()} — ${examples.length} example workflow${examples.length === 1 ? '' : 's'}`);
			out.push(`S3 server: ${s3.label} at ${s3.endpoint}, bucket ${s3.bucket}`);
			report.forEach(({ x, lines, time, failed: nf, err }, i) => {
				out.push('');
				out.push(`${i + 1}. examples/${x.file}  "${x.name}"  — ${x.ok ? 'ran OK' : 'FAILED'} (${time})${nf ? `, ${nf} check(s) failed` : ''}`);
				if (!x.ok && err) out.push(`   n8n: ${err}`);
				for (const l of lines) out.push(`   ${l}`);
			});
			out.push('');
		}
		if (opts.assert || failed.length) {
			const groups = [...new Set(checks.results.map((r) => r.group))];
			out.push(opts.demo ? 'Checks:' : '');
			for (const g of groups) {
				const rs = checks.results.filter((r) => r.group === g);
				const bad = rs.filter((r) => !r.ok);
				out.push(`  ${bad.length ? '✗' : '✓'} ${g}: ${rs.length - bad.length}/${rs.length} checks passed`);
				for (const r of bad) out.push(`      ✗ ${r.what}${r.detail ? `\n        ${String(r.detail).replace(/\n/g, '\n        ')}` : ''}`);
			}
		}
		const total = Date.now() - t0;
		out.push('');
		out.push(`Timings: ${timings.map(([n, ms]) => `${n} ${secs(ms)}`).join(', ')}; total ${secs(total)} (build not included); n8n started ${n8nStarts} time${n8nStarts === 1 ? '' : 's'}`);
		if (failed.length) {
			out.push(`E2E FAILED: ${failed.length} of ${checks.results.length} checks failed. n8n log: ${path.relative(process.cwd(), batch.logFile)}`);
			const batchErrors = result?.summary?.errors ?? [];
			if (batchErrors.length || !result) out.push(`--- last lines of the n8n log ---\n${tail(batch.output, 30)}`);
		} else {
			out.push(`E2E OK: all ${checks.results.length} checks passed.`);
		}
		process.stdout.write(`${out.join('\n')}\n`);
		return failed.length ? 1 : 0;
	} catch (e) {
		if (!(e instanceof Interrupted)) keepRunDir = true;
		throw e;
	}
}

main()
	.then(async (code) => {
		await cleanupAll();
		process.exitCode = code;
	})
	.catch(async (e) => {
		if (!signalled) process.stderr.write(`\ne2e: ${e instanceof UsageError ? e.message : e.stack || e}\n`);
		await cleanupAll();
		process.exitCode = e instanceof UsageError ? 2 : 1;
	});
