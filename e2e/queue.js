#!/usr/bin/env node
'use strict';
/*
 * npm run test:queue — the package in n8n 2.8.4's queue mode (issue 12).
 *
 * Starts, all on 127.0.0.1 and in e2e/.work/queue-<pid>/ (deleted at the end unless --keep):
 *   - PostgreSQL and Redis from Debian's packages (scripts/ensure-queue-deps.sh installs them when
 *     missing), each with its own data folder, random password and free port;
 *   - a throw-away Ceph RGW (scripts/rgw-up.sh) as the S3 server;
 *   - n8n main (`n8n start`, EXECUTIONS_MODE=queue, DB_TYPE=postgresdb) and TWO `n8n worker`
 *     processes, all with the same user folder (the package linked into its .n8n/nodes), first
 *     with n8n's queue-mode default binary data mode (database), later with filesystem mode on
 *     that shared folder.
 * Cases (each asserts; figures go to the report printed at the end and to report.json):
 *   1. webhook load: the webhook example (examples/webhook-upload-presigned-url.json, published),
 *      40 concurrent POSTs of 1 KiB .. 20 MiB; every object's sha256 and every presigned URL's
 *      bytes checked; how the executions spread over the workers.
 *   2. large file, database mode: QUEUE_DB_MIB (250) MiB up through the example and down again
 *      (S3 Storage download -> Read/Write Files to disk), each worker's peak RSS, compared with
 *      n8n alone handling the same file (Webhook -> Read/Write Files, no S3 node).
 *   3. worker killed: 20 x 30 MiB POSTs, `kill -9` of one worker while it uploads; what n8n
 *      does with its executions, every object complete or absent, open multipart uploads listed.
 *   4. large file, filesystem mode (main and workers restarted): QUEUE_FS_MIB (1024) MiB up and
 *      down, peak RSS as in 2. QUEUE_FS_MIB=0 skips it.
 * Webhook answers n8n loses (the execution succeeded and the object is stored, but the caller
 * gets nothing) are counted and reported in every case, not blamed on the node.
 *
 * Options: --keep (keep the work folder and logs), --verbose (echo n8n/RGW output).
 * Env: QUEUE_DB_MIB, QUEUE_FS_MIB, QUEUE_LOAD_N (40), QUEUE_KILL_N (20), QUEUE_KILL_MIB (30).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { once } = require('node:events');
const { execFileSync } = require('node:child_process');
const h = require('./lib/harness');
const { copyWorkflow } = require('./trigger');

const { ROOT, WORK, N8N_BIN, log, secs, tail } = h;
const MiB = 1024 * 1024;
const argv = new Set(process.argv.slice(2));
const OPTS = { keep: argv.has('--keep'), verbose: argv.has('--verbose') };
const num = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt);
const CFG = {
	loadN: num('QUEUE_LOAD_N', 40),
	dbMiB: num('QUEUE_DB_MIB', 250),
	fsMiB: num('QUEUE_FS_MIB', 1024),
	killN: num('QUEUE_KILL_N', 20),
	killMiB: num('QUEUE_KILL_MIB', 30),
};
const EXAMPLE = path.join(ROOT, 'examples', 'webhook-upload-presigned-url.json');
const EXAMPLE_PATH = 's3-upload-demo';
const BUCKET = 'n8n-demo';
const QWF_ID = 'queueTestHelpers01';
const TRIGGER_WF_ID = 'queueTriggerCopy01';
// n8n refuses "*" in the seconds field of a poll time: every 2 s as a list of seconds
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

h.setLogPrefix('queue');

// --------------------------------------------------------------------------------- results
const report = { config: CFG, cases: {}, failures: [], lostAnswers: 0 };
function check(ok, what, detail = '') {
	if (ok) log(`  ok   ${what}`);
	else {
		log(`  FAIL ${what}${detail ? `: ${detail}` : ''}`);
		report.failures.push(`${what}${detail ? `: ${detail}` : ''}`);
	}
	return ok;
}
const fmtMiB = (b) => `${(b / MiB).toFixed(b < 10 * MiB ? 2 : 0)} MiB`;

// ------------------------------------------------------------------------ Postgres, Redis
function pgBinDir() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	if (!versions.length) throw new Error('PostgreSQL is not installed (scripts/ensure-queue-deps.sh)');
	return path.join(base, versions[0], 'bin');
}

/** Runs a program as the `postgres` user when we are root (initdb and postgres refuse root). */
function asPg(file, args) {
	if (process.getuid() !== 0) return [file, args];
	return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', file, ...args]];
}

async function waitFor(what, fn, timeoutMs, proc) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		h.bailIfInterrupted();
		if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
			throw new Error(`${what}: the process exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${tail(proc.output(), 30)}`);
		}
		if (await fn()) return;
		if (Date.now() > until) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${proc ? `:\n${tail(proc.output(), 30)}` : ''}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * A throw-away PostgreSQL on 127.0.0.1 (no Unix socket), data in `dir`, user n8n with a random
 * password, database n8n. Durability off (fsync, synchronous_commit): the data is thrown away.
 */
async function startPostgres(dir) {
	const bin = pgBinDir();
	const data = path.join(dir, 'data');
	fs.mkdirSync(dir, { recursive: true });
	const password = crypto.randomBytes(18).toString('base64url');
	const pwFile = path.join(dir, 'pw');
	fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
	if (process.getuid() === 0) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		fs.chownSync(dir, uid, gid);
		fs.chownSync(pwFile, uid, gid);
	}
	const [initFile, initArgs] = asPg(path.join(bin, 'initdb'), ['-D', data, '-U', 'n8n', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C']);
	const init = await h.runCommand(initFile, initArgs, { cwd: dir, env: process.env, logFile: path.join(dir, 'initdb.log'), name: 'initdb' });
	if (init.code !== 0) throw new Error(`initdb failed:\n${tail(init.output)}`);
	const port = await h.freePort();
	const [file, args] = asPg(path.join(bin, 'postgres'), [
		'-D', data, '-p', String(port),
		'-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
		'-c', 'max_connections=200', '-c', 'shared_buffers=128MB',
	]);
	const proc = h.startProcess(file, args, { cwd: dir, env: process.env, logFile: path.join(dir, 'postgres.log'), echo: OPTS.verbose, name: 'postgres' });
	const env = { ...process.env, PGPASSWORD: password };
	const isReady = path.join(bin, 'pg_isready');
	await waitFor('PostgreSQL', async () => (await h.runCommand(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'postgres'], { env, cwd: dir })).code === 0, 60000, proc);
	const c = await h.runCommand(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { env, cwd: dir });
	if (c.code !== 0) throw new Error(`createdb failed:\n${c.output}`);
	const version = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
	/** Runs SQL with psql; returns the rows as arrays of strings. */
	const sql = async (query) => {
		const r = await h.runCommand('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query], { env, cwd: dir });
		if (r.code !== 0) throw new Error(`psql failed: ${r.output}`);
		return r.output.trim() ? r.output.trim().split('\n').map((l) => l.split('\t')) : [];
	};
	h.addCleanup(async () => {
		// fast shutdown (SIGINT); cleanupAll has usually stopped it already
		if (proc.child.exitCode === null && proc.child.signalCode === null) {
			try {
				process.kill(proc.child.pid, 'SIGINT');
			} catch {
				// gone
			}
			await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 10000))]);
		}
	});
	return { port, password, version, proc, sql };
}

/** A throw-away Redis on 127.0.0.1 with a random password, no persistence, working dir `dir`. */
async function startRedis(dir) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await h.freePort();
	const password = crypto.randomBytes(18).toString('base64url');
	const conf = path.join(dir, 'redis.conf');
	fs.writeFileSync(conf, [`bind 127.0.0.1`, `port ${port}`, `protected-mode yes`, `requirepass ${password}`, `save ""`, `appendonly no`, `dir ${dir}`, `daemonize no`, ''].join('\n'), { mode: 0o600 });
	const proc = h.startProcess('redis-server', [conf], { cwd: dir, env: process.env, logFile: path.join(dir, 'redis.log'), echo: OPTS.verbose, name: 'redis-server' });
	await waitFor('Redis', async () => /Ready to accept connections/.test(proc.output()), 30000, proc);
	const version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
	return { port, password, version, proc };
}

// --------------------------------------------------------------------------------- n8n
function workflows(filesDir) {
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const cred = { s3StorageApi: { id: h.CRED_ID, name: h.CRED_NAME } };
	const respond = (name, pos, body) => ({
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.4,
		position: pos,
		parameters: { respondWith: 'json', responseBody: body, options: {} },
	});
	const hook = (name, p, pos, method = 'POST') => ({
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: pos,
		parameters: { httpMethod: method, path: p, responseMode: 'responseNode', options: {} },
		webhookId: crypto.createHash('md5').update(p).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
	});
	const write = (name, pos, fileName, prop) => ({
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1.1,
		position: pos,
		parameters: { operation: 'write', fileName, dataPropertyName: prop, options: {} },
	});
	const helpers = {
		id: QWF_ID,
		name: 'Queue test helpers: download to disk, and n8n alone writing a received file to disk',
		nodes: [
			// GET /webhook/q-download?key=...: S3 Storage download (binary) -> file on disk -> { size }
			hook('Download request', 'q-download', [0, 0], 'GET'),
			{
				name: 'Download',
				type: h.NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'object', operation: 'download', bucketName: { __rl: true, value: BUCKET, mode: 'name' }, key: { __rl: true, value: '={{ $json.query.key }}', mode: 'key' }, outputType: 'binary', binaryPropertyName: 'data', options: {} },
				credentials: cred,
			},
			write('Write download', [440, 0], `=${filesDir}/down-{{ $execution.id }}.bin`, 'data'),
			respond('Answer download', [660, 0], '={{ { file: $json.fileName, size: $(\'Download\').item.json.size, execution: $execution.id } }}'),
			// POST /webhook/q-baseline (multipart field "file"): n8n alone -> file on disk -> { file }
			hook('Baseline request', 'q-baseline', [0, 300]),
			write('Write received', [220, 300], `=${filesDir}/base-{{ $execution.id }}.bin`, 'file'),
			respond('Answer baseline', [440, 300], '={{ { file: $json.fileName, execution: $execution.id } }}'),
		],
		connections: {
			'Download request': { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
			Download: { main: [[{ node: 'Write download', type: 'main', index: 0 }]] },
			'Write download': { main: [[{ node: 'Answer download', type: 'main', index: 0 }]] },
			'Baseline request': { main: [[{ node: 'Write received', type: 'main', index: 0 }]] },
			'Write received': { main: [[{ node: 'Answer baseline', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
	// S3 Storage Trigger on drop/, every 2 s: each emitted object copied to processed/<key>/<execution id>,
	// so the bucket records every emission (an emission twice shows as two copies)
	const trigger = copyWorkflow(BUCKET, { id: TRIGGER_WF_ID, name: 'Queue test: trigger copies each new object to processed/' });
	return [example, helpers, trigger];
}

/** Environment of every n8n process of the run (main, workers, CLI imports). */
function queueEnv(ctx, binaryMode, extra = {}) {
	const env = h.n8nEnv(ctx.userFolder, ctx.s3, 0, {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(ctx.pg.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: ctx.pg.password,
		DB_POSTGRESDB_POOL_SIZE: '4',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(ctx.redis.port),
		QUEUE_BULL_REDIS_PASSWORD: ctx.redis.password,
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		N8N_RESTRICT_FILE_ACCESS_TO: ctx.filesDir,
		N8N_FORMDATA_FILE_SIZE_MAX: '2048', // MiB: the webhook takes files up to 2 GiB (n8n's default 200)
		N8N_LOG_LEVEL: 'info', // the workers' "Worker started execution" lines tell which worker ran what
		...extra,
	});
	// database: n8n's own default in queue mode (binary-data.config.js), so it is left unset
	if (binaryMode === 'database') delete env.N8N_DEFAULT_BINARY_DATA_MODE;
	else env.N8N_DEFAULT_BINARY_DATA_MODE = binaryMode;
	return env;
}

async function n8nCli(ctx, args, logName) {
	const env = queueEnv(ctx, 'database', { N8N_RUNNERS_BROKER_PORT: String(await h.freePort()) });
	const r = await h.runCommand(process.execPath, [N8N_BIN, ...args], { env, cwd: ctx.userFolder, logFile: path.join(ctx.runDir, `n8n-${logName}.log`), echo: OPTS.verbose, group: true, timeoutMs: 300000, name: `n8n ${args[0]}` });
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code ?? r.signal}):\n${tail(r.output)}`);
	return r;
}

/** Starts main and two workers in the given binary data mode; resolves when all are ready. */
async function startN8n(ctx, binaryMode) {
	const port = await h.freePort();
	const url = `http://127.0.0.1:${port}`;
	const mk = async (role, n) => {
		const env = queueEnv(ctx, binaryMode, {
			N8N_RUNNERS_BROKER_PORT: String(await h.freePort()),
			...(role === 'main' ? { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', N8N_PROTOCOL: 'http', WEBHOOK_URL: `${url}/` } : {}),
		});
		const name = role === 'main' ? 'main' : `worker-${n}`;
		const args = role === 'main' ? ['start'] : ['worker', '--concurrency=10'];
		const logFile = path.join(ctx.runDir, `n8n-${binaryMode}-${name}.log`);
		const proc = h.startProcess(process.execPath, [N8N_BIN, ...args], { env, cwd: ctx.userFolder, logFile, echo: OPTS.verbose, name: `n8n ${name}` });
		return { name, proc, logFile, pid: proc.child.pid };
	};
	const main = await mk('main');
	await waitFor('n8n main', async () => {
		if (!/Editor is now accessible via/.test(main.proc.output())) return false;
		try {
			return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) })).ok;
		} catch {
			return false;
		}
	}, 240000, main.proc);
	const n = { url, main, workers: [], binaryMode, starts: 0, mk };
	await startWorkers(n);
	return n;
}

/** Starts two (new) workers for `n` and waits until both are ready. */
async function startWorkers(n) {
	const round = n.starts++ ? String(n.starts) : '';
	n.workers = [await n.mk('worker', `A${round}`), await n.mk('worker', `B${round}`)];
	n.retired = n.retired ?? [];
	for (const w of n.workers) await waitFor(`n8n ${w.name}`, async () => /n8n worker is now ready/i.test(w.proc.output()), 180000, w.proc);
}

async function stopN8n(n) {
	await Promise.all([n.main, ...n.workers].map((p) => p.proc.stop(10000)));
}

/** Which worker ran each execution, from the workers' "Worker started execution <id>" log lines. */
function executionsByWorker(n) {
	const out = new Map();
	for (const w of [...(n.retired ?? []), ...n.workers]) {
		for (const m of w.proc.output().matchAll(/Worker started execution (\d+)/g)) out.set(m[1], w.name);
	}
	return out;
}

// --------------------------------------------------------------------------- memory
/** Samples the RSS of each process (not its task runner) every 100 ms; stop() gives { name: { before, peak } }. */
function sampleRss(procs) {
	const st = procs.map((p) => ({ name: p.name, pid: p.pid, before: h.rssOf(p.pid), peak: 0 }));
	const tick = () => {
		for (const s of st) s.peak = Math.max(s.peak, h.rssOf(s.pid));
	};
	tick();
	const timer = setInterval(tick, 100);
	return {
		stop() {
			clearInterval(timer);
			tick();
			return Object.fromEntries(st.map((s) => [s.name, { before: s.before, peak: s.peak }]));
		},
	};
}

// ------------------------------------------------------------------------- HTTP helpers
/** A file of `size` random bytes on disk; returns { file, size, sha256 }. */
async function makeFile(dir, name, size) {
	const file = path.join(dir, name);
	const hash = crypto.createHash('sha256');
	const out = fs.createWriteStream(file);
	let left = size;
	while (left > 0) {
		const chunk = crypto.randomBytes(Math.min(left, 4 * MiB));
		hash.update(chunk);
		left -= chunk.length;
		if (!out.write(chunk)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
	return { file, name, size, sha256: hash.digest('hex') };
}

async function sha256OfFile(file) {
	const hash = crypto.createHash('sha256');
	for await (const c of fs.createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(c);
	return hash.digest('hex');
}

/** POSTs the file as multipart field "file"; never throws: { status, json, text, ms, error }. */
async function postFile(url, f, timeoutMs) {
	const started = Date.now();
	try {
		const fd = new FormData();
		fd.append('file', await fs.openAsBlob(f.file, { type: 'application/octet-stream' }), f.name);
		const res = await fetch(url, { method: 'POST', body: fd, signal: AbortSignal.timeout(timeoutMs) });
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text: text.slice(0, 300), ms: Date.now() - started };
	} catch (e) {
		return { status: 0, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : e.message, ms: Date.now() - started };
	}
}

async function getJson(url, timeoutMs) {
	const started = Date.now();
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, json, text: text.slice(0, 300), ms: Date.now() - started };
	} catch (e) {
		return { status: 0, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : e.message, ms: Date.now() - started };
	}
}

/** sha256 and size of an object read with the SDK (streamed), or null when it does not exist. */
async function objectSha(ctx, key) {
	try {
		const r = await ctx.sdk.client.send(new ctx.sdk.sdk.GetObjectCommand({ Bucket: BUCKET, Key: key }));
		const hash = crypto.createHash('sha256');
		let size = 0;
		for await (const c of r.Body) {
			hash.update(c);
			size += c.length;
		}
		return { sha256: hash.digest('hex'), size };
	} catch (e) {
		if (e?.$metadata?.httpStatusCode === 404) return null;
		throw e;
	}
}

async function urlSha(url) {
	const res = await fetch(url, { signal: AbortSignal.timeout(120000) });
	const hash = crypto.createHash('sha256');
	for await (const c of res.body) hash.update(c);
	return { status: res.status, sha256: hash.digest('hex') };
}

/** Every key under uploads/, by the file name after "<execution id>-". */
async function uploadedKeys(ctx) {
	const out = new Map();
	let token;
	do {
		const r = await ctx.sdk.client.send(new ctx.sdk.sdk.ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/', ContinuationToken: token }));
		for (const o of r.Contents ?? []) {
			const m = /\/(\d+)-([^/]+)$/.exec(o.Key);
			if (m) out.set(m[2], { key: o.Key, execution: m[1], size: o.Size });
		}
		token = r.NextContinuationToken;
	} while (token);
	return out;
}

async function openUploads(ctx) {
	const r = await ctx.sdk.client.send(new ctx.sdk.sdk.ListMultipartUploadsCommand({ Bucket: BUCKET }));
	return (r.Uploads ?? []).map((u) => ({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated?.toISOString() }));
}

/** Executions from Postgres: id -> { status, finished, mode, startedAt, stoppedAt }. */
async function executions(ctx, ids) {
	if (!ids.length) return new Map();
	const rows = await ctx.pg.sql(`SELECT id, status, finished, mode, "startedAt", "stoppedAt" FROM execution_entity WHERE id IN (${ids.map(Number).join(',')})`);
	return new Map(rows.map(([id, status, finished, mode, startedAt, stoppedAt]) => [id, { status, finished: finished === 't', mode, startedAt, stoppedAt }]));
}

/**
 * A request that got no answer (timeout / connection closed) although its object is stored
 * whole and n8n's execution succeeded: an answer n8n lost, not a node failure.
 */
async function classify(ctx, results, files) {
	const keys = await uploadedKeys(ctx);
	const lost = [];
	for (let i = 0; i < files.length; i++) {
		const r = results[i];
		if (r.status === 200) continue;
		const k = keys.get(files[i].name);
		if (!k) continue;
		const ex = (await executions(ctx, [k.execution])).get(k.execution);
		const obj = await objectSha(ctx, k.key);
		if (r.status === 0 && ex?.status === 'success' && obj?.sha256 === files[i].sha256) lost.push({ file: files[i].name, execution: k.execution, error: r.error });
	}
	return { keys, lost };
}

// --------------------------------------------------------------------------------- cases
async function caseLoad(ctx, n) {
	log(`case 1: webhook load, ${CFG.loadN} concurrent POSTs (1 KiB .. 20 MiB) through the published example`);
	const dir = path.join(ctx.runDir, 'load');
	fs.mkdirSync(dir);
	const files = [];
	for (let i = 0; i < CFG.loadN; i++) {
		const size = Math.round(1024 * Math.pow(20 * 1024, CFG.loadN > 1 ? i / (CFG.loadN - 1) : 0));
		files.push(await makeFile(dir, `load-${String(i).padStart(2, '0')}-${size}.bin`, size));
	}
	const total = files.reduce((s, f) => s + f.size, 0);
	const rss = sampleRss(n.workers);
	const started = Date.now();
	const results = await Promise.all(files.map((f) => postFile(`${n.url}/webhook/${EXAMPLE_PATH}`, f, 180000)));
	const ms = Date.now() - started;
	const mem = rss.stop();
	const ok = results.filter((r) => r.status === 200 && r.json?.url);
	log(`  ${ok.length}/${files.length} answered 200 in ${secs(ms)} (${fmtMiB(total)} in all)`);
	const { lost } = await classify(ctx, results, files);
	const bad = [];
	const byWorker = executionsByWorker(n);
	const spread = {};
	for (let i = 0; i < files.length; i++) {
		const r = results[i];
		if (r.status !== 200) {
			if (!lost.find((l) => l.file === files[i].name)) bad.push(`${files[i].name}: HTTP ${r.status} ${r.error ?? r.text}`);
			continue;
		}
		const obj = await objectSha(ctx, r.json.key);
		if (obj?.sha256 !== files[i].sha256) bad.push(`${files[i].name}: stored object ${obj ? `has sha256 ${obj.sha256.slice(0, 12)}…` : 'missing'}`);
		if (r.json.size !== files[i].size) bad.push(`${files[i].name}: answer says size ${r.json.size}`);
		const viaUrl = await urlSha(r.json.url);
		if (viaUrl.status !== 200 || viaUrl.sha256 !== files[i].sha256) bad.push(`${files[i].name}: presigned URL gave HTTP ${viaUrl.status}, sha256 ${viaUrl.sha256.slice(0, 12)}…`);
		const exec = /\/(\d+)-[^/]+$/.exec(r.json.key)?.[1];
		const w = byWorker.get(exec) ?? 'unknown';
		spread[w] = (spread[w] ?? 0) + 1;
	}
	for (const l of lost) {
		const w = byWorker.get(l.execution) ?? 'unknown';
		spread[w] = (spread[w] ?? 0) + 1;
	}
	report.lostAnswers += lost.length;
	report.cases.load = { requests: files.length, bytes: total, ms, answered: ok.length, lostAnswers: lost, spread, workerRss: mem, problems: bad };
	log(`  spread over workers: ${JSON.stringify(spread)}; worker peak RSS: ${Object.entries(mem).map(([k, v]) => `${k} ${fmtMiB(v.peak)}`).join(', ')}`);
	check(bad.length === 0, `all ${files.length} objects stored with the right sha256, size in the answer, presigned URLs give the same bytes`, bad.slice(0, 5).join('; '));
	check(ok.length + lost.length === files.length, 'every request answered 200 (or its answer was lost by n8n with the object stored whole)');
	check(n.workers.every((w) => (spread[w.name] ?? 0) > 0), 'both workers ran executions', JSON.stringify(spread));
	if (lost.length) log(`  n8n lost ${lost.length} webhook answer(s) (execution succeeded, object stored): ${lost.map((l) => l.file).join(', ')}`);
	fs.rmSync(dir, { recursive: true, force: true });
}

/** One large file up through the example, down through the helper workflow, and n8n alone as the baseline. */
async function caseLarge(ctx, n, mib, label) {
	const size = mib * MiB;
	log(`case large/${label}: ${mib} MiB in ${n.binaryMode} binary mode (upload, download, n8n-alone baseline)`);
	const dir = path.join(ctx.runDir, `large-${label}`);
	fs.mkdirSync(dir);
	const f = await makeFile(dir, `large-${label}-${mib}MiB.bin`, size);
	const out = { mib, binaryMode: n.binaryMode };
	const timeout = Math.max(300000, mib * 1500);

	// baseline first: n8n receives the file and a worker writes it to disk (no S3 node)
	let rss = sampleRss(n.workers);
	let r = await postFile(`${n.url}/webhook/q-baseline`, f, timeout);
	out.baseline = { status: r.status, ms: r.ms, workerRss: rss.stop(), error: r.error };
	const baseFile = r.json?.file ? path.join(ctx.filesDir, path.basename(r.json.file)) : null;
	check(r.status === 200 && baseFile && (await sha256OfFile(baseFile)) === f.sha256, `${label}: baseline (Webhook -> Read/Write Files) wrote the ${mib} MiB file whole`, r.error ?? r.text);
	if (baseFile) fs.rmSync(baseFile, { force: true });

	rss = sampleRss(n.workers);
	r = await postFile(`${n.url}/webhook/${EXAMPLE_PATH}`, f, timeout);
	out.upload = { status: r.status, ms: r.ms, workerRss: rss.stop(), error: r.error };
	let key = r.json?.key;
	if (r.status !== 200) {
		const { lost, keys } = await classify(ctx, [r], [f]);
		if (lost.length) {
			report.lostAnswers += 1;
			out.upload.lostAnswer = true;
			key = keys.get(f.name)?.key;
			log('  n8n lost the webhook answer of the upload (execution succeeded, object stored)');
		}
	}
	const obj = key ? await objectSha(ctx, key) : null;
	check(obj?.sha256 === f.sha256, `${label}: upload of ${mib} MiB stored whole (sha256)`, r.error ?? r.text);
	log(`  upload ${secs(r.ms)}; worker peak RSS ${Object.entries(out.upload.workerRss).map(([k, v]) => `${k} ${fmtMiB(v.peak)}`).join(', ')}`);

	if (key) {
		rss = sampleRss(n.workers);
		const d = await getJson(`${n.url}/webhook/q-download?key=${encodeURIComponent(key)}`, timeout);
		out.download = { status: d.status, ms: d.ms, workerRss: rss.stop(), error: d.error };
		const downFile = d.json?.file ? path.join(ctx.filesDir, path.basename(d.json.file)) : null;
		check(d.status === 200 && downFile && (await sha256OfFile(downFile)) === f.sha256, `${label}: download of ${mib} MiB written to disk whole (sha256)`, d.error ?? d.text);
		if (downFile) fs.rmSync(downFile, { force: true });
		log(`  download ${secs(d.ms)}; worker peak RSS ${Object.entries(out.download.workerRss).map(([k, v]) => `${k} ${fmtMiB(v.peak)}`).join(', ')}`);
		await ctx.sdk.client.send(new ctx.sdk.sdk.DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
	}
	// the node's extra memory: worker peak during its upload minus the peak of n8n alone with the same file
	const peak = (m) => Math.max(...Object.values(m ?? {}).map((v) => v.peak - v.before), 0);
	out.nodeExtraBytes = peak(out.upload.workerRss) - peak(out.baseline.workerRss);
	log(`  worker peak growth: baseline ${fmtMiB(peak(out.baseline.workerRss))}, S3 Storage upload ${fmtMiB(peak(out.upload.workerRss))}${out.download ? `, download ${fmtMiB(peak(out.download.workerRss))}` : ''}`);
	// a copy of its own would add the file's size; the node's own buffers are its multipart parts in
	// flight (8 MiB x 4 by default), plus room for GC timing. Below 128 MiB a copy cannot be told
	// from GC noise (a worker's resident memory moves by ~100 MiB between runs), so it is only reported.
	const allowed = 64 * MiB + size / 2;
	if (size >= 128 * MiB) check(out.nodeExtraBytes < allowed, `${label}: the node adds no copy of the file of its own (upload peak - baseline peak = ${fmtMiB(out.nodeExtraBytes)}, under ${fmtMiB(allowed)})`);
	else log(`  (${mib} MiB is too small to tell a copy from GC noise: upload peak - baseline peak = ${fmtMiB(out.nodeExtraBytes)}, not checked)`);
	report.cases[`large-${label}`] = out;
	fs.rmSync(dir, { recursive: true, force: true });
}

async function caseKill(ctx, n) {
	log(`case 3: kill -9 of a worker during ${CFG.killN} x ${CFG.killMiB} MiB uploads`);
	const dir = path.join(ctx.runDir, 'kill');
	fs.mkdirSync(dir);
	const files = [];
	for (let i = 0; i < CFG.killN; i++) files.push(await makeFile(dir, `kill-${String(i).padStart(2, '0')}.bin`, CFG.killMiB * MiB));
	const victim = n.workers[0];
	const seenBefore = executionsByWorker(n);
	const pending = Promise.all(files.map((f) => postFile(`${n.url}/webhook/${EXAMPLE_PATH}`, f, 300000)));
	// kill once the victim runs executions of this batch and a multipart upload is open
	const started = Date.now();
	let killedAt = null;
	let running = [];
	while (Date.now() - started < 120000) {
		running = [...executionsByWorker(n)].filter(([id, w]) => w === victim.name && !seenBefore.has(id)).map(([id]) => id);
		if (running.length >= 2 && (await openUploads(ctx)).length > 0) {
			await new Promise((r) => setTimeout(r, 300));
			process.kill(-victim.pid, 'SIGKILL'); // the worker and its task runner
			killedAt = Date.now();
			break;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	check(killedAt !== null, `${victim.name} was killed while running executions of the batch`);
	const onVictim = [...executionsByWorker(n)].filter(([id, w]) => w === victim.name && !seenBefore.has(id)).map(([id]) => id);
	log(`  killed ${victim.name} (pid ${victim.pid}) ${killedAt ? secs(killedAt - started) : '-'} after the first POST; it had started executions ${onVictim.join(', ')}`);
	const results = await pending;
	const settled = Date.now();
	const { keys, lost } = await classify(ctx, results, files);
	const outcome = [];
	let complete = 0;
	let absent = 0;
	const partial = [];
	for (let i = 0; i < files.length; i++) {
		const k = keys.get(files[i].name);
		const obj = k ? await objectSha(ctx, k.key) : null;
		if (!obj) absent++;
		else if (obj.sha256 === files[i].sha256) complete++;
		else partial.push(`${files[i].name} (${obj.size} bytes)`);
		outcome.push({ file: files[i].name, status: results[i].status, ms: results[i].ms, error: results[i].error, execution: k?.execution ?? results[i].json?.key?.match(/\/(\d+)-/)?.[1] ?? null, stored: obj ? (obj.sha256 === files[i].sha256 ? 'complete' : 'PARTIAL') : 'absent' });
	}
	const exIds = [...new Set([...onVictim, ...outcome.map((o) => o.execution).filter(Boolean)])];
	const exMap = await executions(ctx, exIds);
	const victimExecutions = onVictim.map((id) => ({ id, ...(exMap.get(id) ?? {}), rerunOn: executionsByWorker(n).get(id) !== victim.name ? executionsByWorker(n).get(id) : undefined }));
	const statuses = {};
	for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
	const open = await openUploads(ctx);
	report.lostAnswers += lost.length;
	report.cases.kill = { requests: files.length, mib: CFG.killMiB, victim: victim.name, killedAfterMs: killedAt ? killedAt - started : null, answersSettledAfterKillMs: killedAt ? settled - killedAt : null, httpStatuses: statuses, complete, absent, partial, victimExecutions, lostAnswers: lost, openMultipartUploads: open, outcome };
	log(`  answers: ${JSON.stringify(statuses)} (last ${killedAt ? secs(settled - killedAt) : '-'} after the kill); objects: ${complete} complete, ${absent} absent, ${partial.length} partial`);
	log(`  executions the killed worker had: ${victimExecutions.map((e) => `${e.id} ${e.status}${e.rerunOn ? ` (re-run on ${e.rerunOn})` : ''}`).join(', ')}`);
	log(`  multipart uploads left open: ${open.length}${open.length ? ` (${open.map((u) => u.key).join(', ')})` : ''}`);
	check(partial.length === 0, 'every object is complete or absent, never partial', partial.join(', '));
	check(complete + absent === files.length, 'all objects accounted for');
	const unsettled = victimExecutions.filter((e) => !e.status || ['new', 'running', 'waiting'].includes(e.status));
	check(onVictim.length > 0 && unsettled.length === 0, 'the killed worker\'s executions end with a final status in Postgres', unsettled.map((e) => `${e.id}: ${e.status}`).join(', '));
	// answers for executions on the surviving worker must be there
	const survivors = outcome.filter((o) => o.execution && !onVictim.includes(o.execution));
	const survivorsBad = survivors.filter((o) => o.status !== 200 && !lost.find((l) => l.file === o.file));
	check(survivorsBad.length === 0, 'executions on the surviving worker answered 200', survivorsBad.map((o) => `${o.file}: ${o.status} ${o.error ?? ''}`).join('; '));
	if (lost.length) log(`  n8n lost ${lost.length} webhook answer(s) (execution succeeded, object stored)`);
	// clean up for the next case: the batch's objects and what the kill left open
	for (const o of outcome) {
		const k = keys.get(o.file);
		if (k) await ctx.sdk.client.send(new ctx.sdk.sdk.DeleteObjectCommand({ Bucket: BUCKET, Key: k.key }));
	}
	for (const u of open) await ctx.sdk.client.send(new ctx.sdk.sdk.AbortMultipartUploadCommand({ Bucket: BUCKET, Key: u.key, UploadId: u.uploadId }));
	fs.rmSync(dir, { recursive: true, force: true });
}

/** processed/<source key>/<execution id> copies, by source key: Map key -> [execution ids]. */
async function triggerCopies(ctx) {
	const out = new Map();
	let token;
	do {
		const r = await ctx.sdk.client.send(new ctx.sdk.sdk.ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'processed/', ContinuationToken: token }));
		for (const o of r.Contents ?? []) {
			const source = o.Key.slice('processed/'.length, o.Key.lastIndexOf('/'));
			out.set(source, [...(out.get(source) ?? []), o.Key.slice(o.Key.lastIndexOf('/') + 1)]);
		}
		token = r.NextContinuationToken;
	} while (token);
	return out;
}

/** Waits until every key in `keys` has a copy and the copies stop changing for `quietMs`. */
async function waitForCopies(ctx, keys, timeoutMs, quietMs = 8000) {
	const until = Date.now() + timeoutMs;
	let last = '';
	let since = Date.now();
	for (;;) {
		const copies = await triggerCopies(ctx);
		const sig = JSON.stringify([...copies]);
		if (sig !== last) {
			last = sig;
			since = Date.now();
		}
		const done = keys.every((k) => copies.has(k));
		if ((done && Date.now() - since >= quietMs) || Date.now() > until) return copies;
		await sleep(1000);
	}
}

const PRE_EXISTING = Array.from({ length: 5 }, (_, i) => `drop/pre-${i}.txt`);

/** Exactly-once findings for `keys`: { missing, twice } (twice: key -> copies). */
function onceCheck(copies, keys) {
	return { missing: keys.filter((k) => !copies.has(k)), twice: keys.filter((k) => (copies.get(k)?.length ?? 0) > 1).map((k) => `${k} x${copies.get(k).length}`) };
}

async function caseTrigger(ctx, n) {
	log('case trigger: S3 Storage Trigger active in queue mode (polls on main, executions on workers, each object once)');
	const put = (Key) => ctx.sdk.client.send(new ctx.sdk.sdk.PutObjectCommand({ Bucket: BUCKET, Key, Body: `${Key} ${Date.now()}\n` }));
	const out = {};
	// 1. 60 objects in 6 bursts while main and both workers run
	const a = Array.from({ length: 60 }, (_, i) => `drop/a-${String(i).padStart(2, '0')}.txt`);
	for (let b = 0; b < 6; b++) {
		await Promise.all(a.slice(b * 10, b * 10 + 10).map(put));
		await sleep(1000);
	}
	let copies = await waitForCopies(ctx, a, 120000);
	let once = onceCheck(copies, a);
	const byWorker = executionsByWorker(n);
	const spread = {};
	const objectsBy = {};
	const ids = new Set();
	for (const k of a) {
		for (const id of copies.get(k) ?? []) {
			const w = byWorker.get(id) ?? 'not on a worker';
			objectsBy[w] = (objectsBy[w] ?? 0) + 1;
			if (!ids.has(id)) spread[w] = (spread[w] ?? 0) + 1;
			ids.add(id);
		}
	}
	out.running = { objects: a.length, executions: ids.size, missing: once.missing, twice: once.twice, executionsByWorker: spread, objectsByWorker: objectsBy };
	log(`  60 objects in bursts: ${ids.size} executions (one per poll that found objects); executions by worker ${JSON.stringify(spread)}, objects ${JSON.stringify(objectsBy)}`);
	check(once.missing.length === 0 && once.twice.length === 0, 'trigger: 60 objects written in bursts were each emitted exactly once', `missing ${once.missing.join(', ')}; twice ${once.twice.join(', ')}`);
	check(!spread['not on a worker'], 'trigger: every execution ran on a worker');
	check(PRE_EXISTING.every((k) => !copies.has(k)), 'trigger: objects there before activation were not emitted');

	// 2. no worker running: main keeps polling and queues executions; new workers run them, once
	const count = async () => Number((await ctx.pg.sql(`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${TRIGGER_WF_ID}'`))[0][0]);
	n.retired.push(...n.workers);
	await Promise.all(n.workers.map((w) => w.proc.stop(15000)));
	const before = await count();
	const b = Array.from({ length: 20 }, (_, i) => `drop/b-${String(i).padStart(2, '0')}.txt`);
	await Promise.all(b.map(put));
	await sleep(10000);
	const queued = (await count()) - before;
	copies = await triggerCopies(ctx);
	const copiedWithoutWorkers = b.filter((k) => copies.has(k)).length;
	log(`  workers stopped, 20 objects written: ${queued} execution(s) queued by main in 10 s, ${copiedWithoutWorkers} copied`);
	check(queued > 0 && copiedWithoutWorkers === 0, 'trigger: with no worker running, main still polls and queues the executions (none run)', `queued ${queued}, copied ${copiedWithoutWorkers}`);
	await startWorkers(n);
	copies = await waitForCopies(ctx, b, 120000);
	once = onceCheck(copies, [...a, ...b]);
	out.workersStopped = { objects: b.length, queuedWhileStopped: queued, missing: once.missing, twice: once.twice };
	check(once.missing.length === 0 && once.twice.length === 0, 'trigger: new workers ran the queued executions; all 80 objects emitted exactly once', `missing ${once.missing.join(', ')}; twice ${once.twice.join(', ')}`);
	report.cases.trigger = out;
	ctx.triggerKeys = [...a, ...b];
}

/** After main restarted (re-activation): nothing emitted again, nothing before activation emitted. */
async function caseTriggerAfterRestart(ctx, label) {
	await sleep(12000); // a few polls of the re-activated trigger
	const copies = await triggerCopies(ctx);
	const once = onceCheck(copies, ctx.triggerKeys);
	report.cases.trigger[`after-${label}`] = { missing: once.missing, twice: once.twice };
	check(once.missing.length === 0 && once.twice.length === 0 && PRE_EXISTING.every((k) => !copies.has(k)), `trigger: after ${label}, nothing was emitted again`, `twice ${once.twice.join(', ')}`);
}

// ------------------------------------------------------------------------------------ main
async function main() {
	h.installSignalHandlers();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'S3Storage', 'S3Storage.node.js'))) throw new h.UsageError('dist/ is missing: run `npm run build` first (npm run test:queue does)');
	fs.mkdirSync(WORK, { recursive: true });
	await h.sweepStale();
	for (const name of fs.readdirSync(WORK)) {
		const m = /^queue-(\d+)$/.exec(name);
		if (m && Number(m[1]) !== process.pid && !h.pidAlive(Number(m[1]))) fs.rmSync(path.join(WORK, name), { recursive: true, force: true });
	}
	const deps = await h.runCommand(path.join(ROOT, 'scripts', 'ensure-queue-deps.sh'), [], { env: process.env, cwd: ROOT, echo: true });
	if (deps.code !== 0) throw new Error('PostgreSQL / Redis are not installed (scripts/ensure-queue-deps.sh failed, see above)');
	await h.ensureN8nInstalled(OPTS);

	const runDir = path.join(WORK, `queue-${process.pid}`);
	fs.mkdirSync(runDir, { recursive: true });
	let failed = true;
	h.addCleanup(async () => {
		if (OPTS.keep || failed) log(`work folder kept: ${path.relative(process.cwd(), runDir)}`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	});
	const ctx = { runDir, userFolder: path.join(runDir, 'n8n'), filesDir: path.join(runDir, 'files') };
	fs.mkdirSync(ctx.filesDir, { recursive: true });
	fs.chmodSync(runDir, 0o755);

	log('starting PostgreSQL, Redis and the Ceph RGW...');
	const t0 = Date.now();
	[ctx.pg, ctx.redis, ctx.s3] = await Promise.all([
		startPostgres(path.join(runDir, 'pg')),
		startRedis(path.join(runDir, 'redis')),
		h.startS3({ s3: 'rgw', storeGb: Math.max(8, Math.ceil((CFG.fsMiB * 2 + CFG.dbMiB * 2 + CFG.killN * CFG.killMiB) / 1024) + 2), verbose: OPTS.verbose }, runDir),
	]);
	ctx.sdk = h.sdkFor(ctx.s3);
	h.addCleanup(async () => ctx.sdk.client.destroy());
	await ctx.sdk.ensureBucket(BUCKET);
	report.servers = { postgres: ctx.pg.version, redis: ctx.redis.version, s3: ctx.s3.label, n8n: h.n8nVersion() };
	log(`  ${ctx.pg.version} on :${ctx.pg.port}, ${ctx.redis.version} on :${ctx.redis.port}, ${ctx.s3.label} at ${ctx.s3.endpoint} (${secs(Date.now() - t0)})`);

	log('importing the credential and workflows into Postgres, publishing the workflows...');
	h.linkPackage(ctx.userFolder);
	const scratch = path.join(runDir, 'import');
	fs.mkdirSync(scratch);
	fs.writeFileSync(path.join(scratch, 'credentials.json'), JSON.stringify(h.credentialFor(ctx.s3)));
	const wfDir = path.join(scratch, 'workflows');
	fs.mkdirSync(wfDir);
	const wfs = workflows(ctx.filesDir);
	for (const w of wfs) fs.writeFileSync(path.join(wfDir, `${w.id}.json`), JSON.stringify(w));
	await n8nCli(ctx, ['import:credentials', `--input=${path.join(scratch, 'credentials.json')}`], 'import-credentials');
	await n8nCli(ctx, ['import:workflow', '--separate', `--input=${wfDir}`], 'import-workflows');
	for (const w of wfs) await n8nCli(ctx, ['publish:workflow', `--id=${w.id}`], `publish-${w.id}`);

	for (const Key of PRE_EXISTING) await ctx.sdk.client.send(new ctx.sdk.sdk.PutObjectCommand({ Bucket: BUCKET, Key, Body: 'there before activation\n' }));
	log(`starting n8n ${h.n8nVersion()}: main (EXECUTIONS_MODE=queue, DB_TYPE=postgresdb, default binary mode) + 2 workers...`);
	let n = await startN8n(ctx, 'database');
	log(`  main on ${n.url} (pid ${n.main.pid}), workers pid ${n.workers.map((w) => w.pid).join(', ')}`);

	await caseLoad(ctx, n);
	const [[binRows, binMax]] = await ctx.pg.sql('SELECT count(*), coalesce(max("fileSize"), 0) FROM binary_data');
	report.binaryDataRowsAfterLoad = { rows: Number(binRows), maxBytes: Number(binMax) };
	check(Number(binRows) > 0, `binary data is kept in Postgres (database mode: ${binRows} rows in binary_data, largest ${fmtMiB(Number(binMax))})`);

	await caseTrigger(ctx, n);
	if (CFG.dbMiB > 0) await caseLarge(ctx, n, CFG.dbMiB, 'database');
	await caseKill(ctx, n);

	if (CFG.fsMiB > 0) {
		log('restarting main and workers with N8N_DEFAULT_BINARY_DATA_MODE=filesystem (storage shared through the one user folder)...');
		await stopN8n(n);
		n = await startN8n(ctx, 'filesystem');
		await caseTriggerAfterRestart(ctx, 'main and workers restarted');
		await caseLarge(ctx, n, CFG.fsMiB, 'filesystem');
	}
	await stopN8n(n);

	report.totalMs = Date.now() - h.startedAt();
	fs.writeFileSync(path.join(WORK, 'queue-report.json'), JSON.stringify(report, null, 2));
	log(`report: ${path.relative(process.cwd(), path.join(WORK, 'queue-report.json'))}; n8n lost ${report.lostAnswers} webhook answer(s) in all (counted, not a node failure)`);
	if (report.failures.length) {
		log(`${report.failures.length} check(s) FAILED:\n  - ${report.failures.join('\n  - ')}`);
		return 1;
	}
	failed = false;
	log(`all checks passed (${secs(report.totalMs)})`);
	return 0;
}

main()
	.then(async (code) => {
		await h.cleanupAll();
		process.exit(code);
	})
	.catch(async (e) => {
		if (!(e instanceof h.Interrupted)) log(e instanceof h.UsageError ? e.message : `ERROR: ${e.stack || e.message}`);
		try {
			fs.writeFileSync(path.join(WORK, 'queue-report.json'), JSON.stringify({ ...report, error: String(e.stack || e.message) }, null, 2));
		} catch {
			// no report
		}
		await h.cleanupAll();
		process.exit(e instanceof h.UsageError ? 2 : 1);
	});
