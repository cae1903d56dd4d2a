#!/usr/bin/env node
'use strict';
/*
 * Benchmark (npm run bench): this node against n8n's built-in S3 node, a plain AWS SDK script
 * and `aws s3 cp`, side by side in one run, in a real n8n (e2e/node_modules, filesystem binary
 * mode) against a throw-away Ceph RGW (bluestore by default).
 *
 *   npm run bench                         default: 256 MiB file, 1 run (a few minutes)
 *   npm run bench -- --size=1GiB --runs=5 --refuse-busy      the verdict run (issue 15's targets)
 *   npm run bench -- --size=5GiB --contenders=ours,sdk --sections=file --refuse-busy   5 GiB, one run
 *
 * Options:
 *   --size=N[KiB|MiB|GiB]   file size for upload/download (default 256MiB)
 *   --runs=N                runs; the table shows the median of each figure (default 1)
 *   --sections=a,b          file, small, list, delete, trigger (default all; trigger: bench/trigger.js,
 *                           its own RGW; a trigger-only run saves bench/results-trigger.md)
 *   --trigger-objects=N     objects in the trigger section's prefix (default 100000)
 *   folders section: Folder Copy/Move/Download vs aws and rclone; its --folders-... options: see bench/folders.js
 *   --contenders=a,b        ours, builtin, sdk, aws (default all; aws only when the `aws` CLI is
 *                           installed; builtin is skipped above 2 GiB unless named, since it
 *                           refuses files > 2 GiB); also narrows the small/list/delete sections;
 *                           bare (small section only, with ours): the small uploads also from
 *                           the thinnest n8n node (bench/bare-node), to tell n8n's cost per item
 *                           from the node's
 *   --store=bluestore|memstore   RGW object store for the file section (default: bluestore from
 *                           1 GiB up, memstore below; memstore keeps the data in RAM)
 *   --bulk-store=memstore|bluestore   RGW object store for small/list/delete (default memstore,
 *                           as in the issue's figures; a second RGW when it differs from --store)
 *   --part-size=MiB --queue-size=N   this node's upload options (default: the node's defaults)
 *   --sdk-part-size=MiB --sdk-queue-size=N   the SDK script's (default: exactly this node's part
 *                           size and parts in flight, so the two send the same requests)
 *   --no-sdk-defaults       skip the extra upload row of the SDK script with lib-storage's own
 *                           defaults (5 MiB × 4, as a plain script has them)
 *   --max-load=X            a measurement that starts with the 1-minute load average above X
 *                           (default 1.5) is marked busy in the report; before each measurement
 *                           the bench waits up to --settle=S seconds (default 60) for the load to
 *                           drop below X (its own previous step raises it too)
 *   --refuse-busy           stop with an error instead of measuring on a busy machine
 *   --cpu-prof=DIR          write V8 CPU profiles of every n8n process and SDK script to DIR
 *                           (node --cpu-prof); `node bench/profile.js DIR/<file>.cpuprofile`
 *                           summarises one over the window of the measured transfer
 *   --concurrency=N         this node's Concurrency option for the small uploads (default: node default)
 *   --small=N --list=N --delete=N    object counts (defaults 2000, 20000, 5000)
 *   --out=FILE              where to save the report (default bench/results.md; --out= to skip)
 *   --no-gc-trace           run n8n without --trace-gc (by default the report counts V8's full
 *                           garbage collections in n8n during each measured node)
 *   --keep                  keep the work folder and the RGW data
 *   --verbose               echo n8n's and the RGW's output
 *
 * Fairness: contenders run interleaved, one measurement each per run, and the order rotates from
 * run to run (run 1: sdk, ours, built-in, aws; run 2: ours, built-in, aws, sdk; ...); the small
 * uploads' measurements (the n8n batch with ours, ours with Key a folder, the bare node, the SDK
 * script) rotate the same way. The table shows medians; the per-run figures follow it, each with
 * the load average it started at.
 *
 * How each figure is taken:
 *   - n8n contenders: one `n8n execute-batch` process per measured workflow (upload, download;
 *     the bulk workflows share one). Time = the measured node's `executionTime` from the
 *     execution's runData (execute-batch --snapshot; n8n's database for a failed execution), so
 *     n8n start-up is excluded. The upload's input file is put into n8n's filesystem binary
 *     store beforehand (hard link; see bench/workflows.js), so no other node streams it in the
 *     measured process. Peak RSS = the
 *     largest sum of VmRSS over the n8n process and all its descendants (task runner), sampled
 *     from /proc every 100 ms, from 1.5 s before the node's startTime to 0.5 s after its end.
 *     "idle" = the same sampling and window in a run of the same workflow with a 1 KiB file (one
 *     for upload, one for download). Every workflow first waits 3 s (n8n settles after start-up).
 *     Growth = peak minus the largest RSS of the same process in the 1.5 s before the node (the
 *     target's check uses it: n8n processes differ by up to ≈ 70 MiB before the node runs).
 *   - plain SDK script (bench/sdk-child.js): own process; time measured inside it (from before
 *     the first request to the last byte), peak RSS of that process.
 *   - aws s3 cp: wall time of the process (includes its ≈0.3–0.5 s Python start-up), peak RSS.
 *   - list: SDK paginator (paginateListObjectsV2, MaxKeys 1000) in a plain script (bench/sdk-child.js),
 *     timed inside it.
 *   - small uploads: also the same 2,000 PutObjects from a plain SDK script at the node's
 *     concurrency (no n8n): a ceiling no n8n node reaches on this machine. CPU per item = CPU
 *     time (utime + stime from /proc) used during the node's run by n8n's process tree (or the
 *     script) and by the S3 server's processes, divided by the item count. Also (contender
 *     "bare") from the thinnest n8n node (bench/bare-node: getNodeParameter
 *     for the same Key expression, n8n's getBinaryDataBuffer, PutObject with this node's client,
 *     the same concurrency): the floor n8n itself sets for any node.
 *   - delete: requests counted by a small proxy in front of the RGW (per bucket).
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('../e2e/lib/harness');
const { credentials, workflows, STORED_INPUT_ID } = require('./workflows');
const { triggerSection } = require('./trigger');
const folders = require('./folders');

h.setLogPrefix('bench');
h.installSignalHandlers();
const { log, secs, tail, UsageError } = h;

const BENCH = __dirname;
const ROOT = h.ROOT;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BUCKET = 'bench';
const DEL_BUCKETS = { ours: 'bench-del-ours', builtin: 'bench-del-builtin', sdk: 'bench-del-sdk' };
const NODE_DEFAULTS = readNodeDefaults();

function readNodeDefaults() {
	const d = { partSize: 16, queueSize: 4, concurrency: 8 };
	try {
		const up = require(path.join(ROOT, 'dist', 'nodes', 'S3Storage', 'actions', 'object', 'upload.operation.js'));
		d.partSize = up.DEFAULT_PART_SIZE_MIB ?? d.partSize;
		d.queueSize = up.DEFAULT_QUEUE_SIZE ?? d.queueSize;
	} catch {
		// dist not built yet: checked in main
	}
	try {
		const common = require(path.join(ROOT, 'dist', 'nodes', 'S3Storage', 'actions', 'common.descriptions.js'));
		d.concurrency = common.DEFAULT_CONCURRENCY ?? d.concurrency;
	} catch {
		// idem
	}
	return d;
}

// ------------------------------------------------------------------------------------ options
function parseSize(s) {
	const m = /^(\d+(?:\.\d+)?)\s*(b|k|kib|kb|m|mib|mb|g|gib|gb)?$/i.exec(String(s).trim());
	if (!m) throw new UsageError(`--size: "${s}" is not a size (e.g. 256MiB, 1GiB)`);
	const unit = (m[2] || 'mib').toLowerCase();
	const mult = unit.startsWith('g') ? GiB : unit.startsWith('m') ? MiB : unit.startsWith('k') ? 1024 : 1;
	return Math.round(Number(m[1]) * mult);
}
const fmtSize = (n) => (n >= GiB && n % GiB === 0 ? `${n / GiB} GiB` : n >= MiB ? `${+(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`);

function parseArgs(argv) {
	const o = {
		size: 256 * MiB,
		runs: 1,
		sections: ['file', 'small', 'list', 'delete', 'folders', 'trigger'],
		folders: {},
		triggerObjects: 100_000,
		contenders: null,
		store: undefined,
		bulkStore: 'memstore',
		partSize: undefined,
		queueSize: undefined,
		sdkPartSize: undefined,
		sdkQueueSize: undefined,
		sdkDefaults: true,
		maxLoad: 1.5,
		settle: 60,
		refuseBusy: false,
		gcTrace: true,
		cpuProf: undefined,
		concurrency: undefined,
		small: 2000,
		list: 20000,
		del: 5000,
		out: path.join(BENCH, 'results.md'),
		keep: false,
		verbose: false,
	};
	for (const a of argv) {
		const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const num = () => {
			const n = Number(v);
			if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${k}: "${v}" is not a positive number`);
			return n;
		};
		if (k === '--size') o.size = parseSize(v);
		else if (k === '--runs') o.runs = Math.floor(num());
		else if (k === '--sections') o.sections = v.split(',').filter(Boolean);
		else if (k === '--contenders') o.contenders = v.split(',').filter(Boolean);
		else if (k === '--store') o.store = v;
		else if (k === '--bulk-store') o.bulkStore = v;
		else if (k === '--part-size') o.partSize = num();
		else if (k === '--queue-size') o.queueSize = Math.floor(num());
		else if (k === '--sdk-part-size') o.sdkPartSize = num();
		else if (k === '--sdk-queue-size') o.sdkQueueSize = Math.floor(num());
		else if (k === '--no-sdk-defaults') o.sdkDefaults = false;
		else if (k === '--max-load') o.maxLoad = num();
		else if (k === '--settle') o.settle = Number(v) >= 0 ? Number(v) : num();
		else if (k === '--refuse-busy') o.refuseBusy = true;
		else if (k === '--no-gc-trace') o.gcTrace = false;
		else if (k === '--cpu-prof') o.cpuProf = path.resolve(v || 'bench-profiles');
		else if (k === '--concurrency') o.concurrency = Math.floor(num());
		else if (k === '--small') o.small = Math.floor(num());
		else if (k === '--list') o.list = Math.floor(num());
		else if (k === '--delete') o.del = Math.floor(num());
		else if (k === '--trigger-objects') o.triggerObjects = Math.floor(num());
		else if (k === '--out') o.out = v ? path.resolve(v) : null;
		else if (k.startsWith('--folders-')) o.folders[k.slice('--folders-'.length)] = v;
		else if (k === '--keep') o.keep = true;
		else if (k === '--verbose') o.verbose = true;
		else if (k === '--help' || k === '-h') {
			const text = fs.readFileSync(__filename, 'utf8');
			process.stdout.write(`${text.slice(text.indexOf('/*') + 2, text.indexOf('*/')).split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim()}\n`);
			process.exit(0);
		} else throw new UsageError(`unknown argument "${a}" (see --help)`);
	}
	for (const s of o.sections) if (!['file', 'small', 'list', 'delete', 'folders', 'trigger'].includes(s)) throw new UsageError(`--sections: unknown section "${s}"`);
	for (const c of o.contenders ?? []) if (!['ours', 'builtin', 'sdk', 'aws', 'bare'].includes(c)) throw new UsageError(`--contenders: unknown contender "${c}"`);
	if (o.contenders?.includes('bare') && !(o.contenders.includes('ours') && o.sections.includes('small'))) throw new UsageError('--contenders: bare runs in the small section next to ours: name ours too, and keep the small section');
	// the bare node runs in the small section, by default or when named
	o.bare = o.sections.includes('small') && (!o.contenders || o.contenders.includes('bare'));
	o.store ??= o.size >= GiB ? 'bluestore' : 'memstore';
	for (const st of [o.store, o.bulkStore]) if (!['bluestore', 'memstore'].includes(st)) throw new UsageError('--store and --bulk-store must be bluestore or memstore');
	return o;
}

// ------------------------------------------------------------------------------ helpers
const median = (xs) => {
	const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (!v.length) return undefined;
	return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

function awsCli() {
	try {
		const v = execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
		return v.trim().split(/\s+/)[0];
	} catch (e) {
		const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
		return /^aws-cli\//.test(out) ? out.split(/\s+/)[0] : null;
	}
}

function makeFile(file, size) {
	const block = crypto.randomBytes(16 * MiB);
	const fd = fs.openSync(file, 'w');
	try {
		let left = size;
		let n = 0;
		while (left > 0) {
			block.writeUInt32BE(n++, 0); // no two blocks alike
			const len = Math.min(left, block.length);
			fs.writeSync(fd, block, 0, len);
			left -= len;
		}
	} finally {
		fs.closeSync(fd);
	}
}

/** A pass-through HTTP proxy in front of the S3 server that counts requests per bucket. */
async function startCountingProxy(target) {
	const u = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const counts = new Map();
	const server = http.createServer((req, res) => {
		const bucket = decodeURIComponent((req.url.split('?')[0].split('/')[1] ?? '') || '(none)');
		counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
		// the Host header is passed on as it is: SigV4 signed it, the RGW checks it
		const up = http.request({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
			res.writeHead(r.statusCode, r.headers);
			r.pipe(res);
		});
		up.on('error', (e) => {
			if (!res.headersSent) res.writeHead(502);
			res.end(String(e.message));
		});
		req.pipe(up);
	});
	const port = await h.freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	h.addCleanup(() => new Promise((resolve) => server.close(() => resolve())));
	return {
		endpoint: `http://127.0.0.1:${port}`,
		count: (bucket) => counts.get(bucket) ?? 0,
		reset: () => counts.clear(),
		close: () => {
			server.closeAllConnections?.();
			agent.destroy();
		},
	};
}

async function mapLimit(n, limit, fn) {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, n) }, async () => {
			while (next < n) await fn(next++);
		}),
	);
}

async function seedKeys(sdk, bucket, prefix, count, body = 'x'.repeat(16)) {
	const { PutObjectCommand } = sdk.sdk;
	await mapLimit(count, 32, (i) => sdk.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${String(i).padStart(6, '0')}`, Body: body })));
}

/**
 * Before a measurement: first writes the page cache's dirty data to disk (`sync`: a previous
 * contender's multi-GiB download would otherwise still be flushing, and the kernel throttles the
 * next writer: a 5 GiB download measured 145 MiB/s right after another one, 376 MiB/s without),
 * then waits up to --settle seconds for the 1-minute load average to drop below --max-load (the
 * bench's own previous step raises it too), and returns the load the measurement starts at. With
 * --refuse-busy a machine that stays busy stops the bench.
 */
async function quietStart(ctx, what) {
	const { maxLoad, settle, refuseBusy } = ctx.opts;
	const t0 = Date.now();
	execFileSync('sync');
	if (Date.now() - t0 > 1000) log(`  sync: ${secs(Date.now() - t0)} flushing written data before ${what}`);
	const until = Date.now() + settle * 1000;
	let load = os.loadavg()[0];
	if (load >= maxLoad) log(`  load average ${load.toFixed(2)} ≥ ${maxLoad}: waiting up to ${settle} s before ${what}`);
	while (load >= maxLoad && Date.now() < until) {
		await new Promise((r) => setTimeout(r, 2000));
		h.bailIfInterrupted();
		load = os.loadavg()[0];
	}
	if (load >= maxLoad) {
		if (refuseBusy) throw new UsageError(`refusing to measure ${what}: the load average is ${load.toFixed(2)} (≥ ${maxLoad}) after waiting ${settle} s; the machine is busy`);
		log(`  BUSY: ${what} starts at load average ${load.toFixed(2)}`);
	}
	ctx.loads.push({ what, load, busy: load >= maxLoad });
	return load;
}

// ------------------------------------------------------------------------------- n8n runs
/**
 * Runs the named workflows in one `n8n execute-batch`, sampling the RSS of the n8n process tree.
 * @returns per workflow name: { ok, error, node: { startTime, executionTime, items, json0, binary0, error }, windowPeak, beforePeak }, plus wholePeak
 */
async function runN8n(ctx, names, env, label, s3 = ctx.s3) {
	const ids = names.map((n) => ctx.wfs[n].id);
	let sampler;
	let spawnedAt;
	const series = [];
	const started = Date.now();
	const r = await h.executeBatch({
		userFolder: ctx.userFolder,
		s3,
		ids,
		snapDir: ctx.snapDir,
		logDir: ctx.logDir,
		logName: `batch-${label}`,
		opts: { verbose: ctx.opts.verbose },
		timeoutMs: Math.max(10 * 60 * 1000, (ctx.opts.size / MiB) * 600),
		env: { N8N_RESTRICT_FILE_ACCESS_TO: ctx.dataDir, N8N_LOG_LEVEL: 'warn', BENCH_COUNT_ENDPOINT: ctx.proxy.endpoint, ...env },
		onSpawn: (child) => {
			spawnedAt = Date.now();
			sampler = h.sampleTreeRss(child.pid, 100, () => s3.pids?.() ?? []);
		},
	});
	const sampled = sampler ? sampler.stop() : { series: [], peak: 0 };
	for (const [t, ...v] of sampled.series) series.push([started + t, ...v]);
	const peakIn = (from, to) => series.filter(([t]) => t >= from && t <= to).reduce((m, [, b]) => Math.max(m, b), 0);
	// CPU time (ms) used by n8n's process tree and by the S3 server from the last sample before
	// `from` to the first after `to` (100 ms samples: ±0.1 s of the window)
	const cpuIn = (from, to) => {
		const before = series.filter(([t]) => t <= from).pop();
		const after = series.find(([t]) => t >= to);
		return before && after ? { n8n: after[2] - before[2], server: after[3] - before[3], ms: after[0] - before[0] } : undefined;
	};
	const gcs = gcTrace(r.output, spawnedAt);
	let fromDb = null;
	const out = { wholePeak: sampled.peak, ms: r.ms, logFile: r.logFile };
	for (const name of names) {
		const wf = ctx.wfs[name];
		let snap = r.snapshots[wf.id];
		let error = r.result?.summary?.errors?.find((e) => e.workflowId === wf.id)?.error;
		if (!snap) {
			fromDb ??= await h.readExecutionsFromDb(ctx.userFolder).catch(() => new Map());
			const row = fromDb.get(wf.id);
			if (row) snap = { status: row.status, data: row.data };
		}
		const runData = snap?.data?.resultData?.runData ?? {};
		const measured = ['Upload', 'Download', 'List', 'Delete folder', 'Copy folder', 'Move folder'].find((n) => runData[n]);
		const run = measured ? runData[measured][0] : undefined;
		const node = run
			? {
					name: measured,
					startTime: run.startTime,
					executionTime: run.executionTime,
					items: run.data?.main?.[0]?.length ?? 0,
					json0: run.data?.main?.[0]?.[0]?.json,
					binary0: run.data?.main?.[0]?.[0]?.binary?.data,
					error: run.error ? `${run.error.message}${run.error.description ? ` (${run.error.description})` : ''}` : undefined,
				}
			: undefined;
		if (!error && snap?.status && snap.status !== 'success') error = node?.error ?? `execution ${snap.status}`;
		if (!snap && !error) error = `no execution found (n8n exit ${r.code ?? r.signal}); log ${r.logFile}\n${tail(r.output, 15)}`;
		if (node?.error) error = node.error;
		out[name] = {
			ok: !error && !!node,
			error: error ? String(error).split('\n')[0].slice(0, 200) : !node ? 'measured node did not run' : undefined,
			node,
			// the same window for measured and idle runs: from 1.5 s before the node to 0.5 s after it
			windowPeak: node ? peakIn(node.startTime - 1500, node.startTime + node.executionTime + 500) : 0,
			idlePeak: node ? peakIn(node.startTime - 1500, node.startTime + node.executionTime + 500) : 0,
			beforePeak: node ? peakIn(node.startTime - 1500, node.startTime) : 0,
			cpu: node ? cpuIn(node.startTime, node.startTime + node.executionTime) : undefined,
			fullGcs: node && gcs ? gcs.filter((g) => g.full && g.at >= node.startTime && g.at <= node.startTime + node.executionTime).length : undefined,
		};
	}
	// binary files of this run are not needed any more (they can be GiB-sized)
	fs.rmSync(path.join(ctx.userFolder, '.n8n', 'storage'), { recursive: true, force: true });
	return out;
}

/**
 * The collections in `--trace-gc` output (one line each, "[pid:isolate]  1234 ms: Mark-Compact ...";
 * times from the isolate's start, taken as the process's spawn time: ±50 ms), as
 * [{ at (epoch ms), full (a mark-compact) }]; undefined when there are none (no --trace-gc).
 */
function gcTrace(output, spawnedAt) {
	if (!output || !spawnedAt) return undefined;
	const gcs = [];
	// every line is one collection; "Mark-Compact" (also "Mark-Compact (reduce)") is a full one
	for (const m of String(output).matchAll(/^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: (\S+)/gm)) gcs.push({ at: spawnedAt + Number(m[1]), full: m[2] === 'Mark-Compact' });
	return gcs.length ? gcs : undefined;
}

/** Puts `file` into the n8n user folder's binary store as the upload workflows' input (hard link + .metadata). */
function storeInput(ctx, file) {
	const target = path.join(ctx.userFolder, '.n8n', 'storage', ...STORED_INPUT_ID.split('/'));
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.rmSync(target, { force: true });
	try {
		fs.linkSync(file, target);
	} catch {
		fs.copyFileSync(file, target);
	}
	const fileSize = fs.statSync(file).size;
	fs.writeFileSync(`${target}.metadata`, JSON.stringify({ fileName: 'big.bin', mimeType: 'application/octet-stream', fileSize }));
}

/** Runs a command (SDK script, aws CLI) sampling its RSS. */
async function runTool(ctx, file, args, env, name) {
	let sampler;
	const started = Date.now();
	const r = await h.runCommand(file, args, {
		env,
		cwd: ROOT,
		name,
		logFile: path.join(ctx.logDir, `${name}.log`),
		timeoutMs: Math.max(10 * 60 * 1000, (ctx.opts.size / MiB) * 600),
		onSpawn: (child) => {
			sampler = h.sampleTreeRss(child.pid, 100);
		},
	});
	const wall = Date.now() - started;
	const s = sampler ? sampler.stop() : { peak: 0 };
	return { ...r, wall, peak: s.peak };
}

// ------------------------------------------------------------------------------ sections
async function fileSection(ctx, run, res) {
	const { opts, s3, bigFile, size } = ctx;
	const sdkEnv = { ...process.env, NODE_OPTIONS: '', BENCH_S3_ENDPOINT: s3.endpoint, BENCH_S3_ACCESS_KEY_ID: s3.accessKeyId, BENCH_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, BENCH_S3_REGION: s3.region };
	const awsEnv = {
		...process.env,
		AWS_ACCESS_KEY_ID: s3.accessKeyId,
		AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
		AWS_DEFAULT_REGION: s3.region,
		AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
		AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
		AWS_CONFIG_FILE: path.join(ctx.dataDir, 'aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(ctx.dataDir, 'aws-credentials'),
		AWS_MAX_ATTEMPTS: '3',
	};
	fs.writeFileSync(awsEnv.AWS_CONFIG_FILE, '[default]\ns3 =\n  addressing_style = path\n');
	fs.writeFileSync(awsEnv.AWS_SHARED_CREDENTIALS_FILE, '');
	const key = (c) => `bench/big-${c}.bin`;
	const serverCpu = () => (s3.pids?.() ?? []).reduce((sum, pid) => sum + h.cpuMsOf(pid), 0);
	const uploaded = [];
	const mibs = (ms) => size / MiB / (ms / 1000);

	// interleaved, and the order rotates from run to run (no contender always goes first)
	const order = ctx.contenders.map((_, i) => ctx.contenders[(i + run) % ctx.contenders.length]);
	const upOrder = order.flatMap((c) => (c === 'sdk' && opts.sdkDefaults ? ['sdk', 'sdkdef'] : [c]));
	for (const c of upOrder) {
		const load = await quietStart(ctx, `run ${run + 1} upload ${c}`);
		log(`run ${run + 1}: upload ${fmtSize(size)} — ${c} (load average ${load.toFixed(2)})`);
		let up;
		if (c === 'sdk' || c === 'sdkdef') {
			// sdk: exactly this node's part size and parts in flight; sdkdef: lib-storage's defaults (0)
			const [ps, qs] = c === 'sdk' ? [opts.sdkPartSize ?? ctx.partSizeMiB, opts.sdkQueueSize ?? ctx.queueSize] : [0, 0];
			const prof = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`, `--cpu-prof-name=${c}-upload-${run}.cpuprofile`] : [];
			const server0 = serverCpu();
			const r = await runTool(ctx, process.execPath, [...prof, path.join(BENCH, 'sdk-child.js'), 'upload', bigFile, BUCKET, key(c), String(ps), String(qs)], sdkEnv, `${c}-upload-${run}`);
			const out = r.code === 0 ? JSON.parse(r.output.trim().split('\n').pop()) : null;
			up = out ? { ms: out.ms, peak: r.peak, cpu: { client: out.cpuMs, server: serverCpu() - server0 } } : { error: tail(r.output, 3) };
		} else if (c === 'aws') {
			const r = await runTool(ctx, 'aws', ['s3', 'cp', '--only-show-errors', '--endpoint-url', s3.endpoint, bigFile, `s3://${BUCKET}/${key(c)}`], awsEnv, `aws-upload-${run}`);
			up = r.code === 0 ? { ms: r.wall, peak: r.peak } : { error: tail(r.output, 3) };
		} else {
			storeInput(ctx, bigFile);
			const r = await runN8n(ctx, [`up-${c}`], { BENCH_KEY: key(c) }, `up-${c}-${run}`);
			const w = r[`up-${c}`];
			if (w.ok && w.node.json0?.size !== undefined && w.node.json0.size !== size) w.error = `uploaded size ${w.node.json0.size} ≠ ${size}`;
			up = w.ok && !w.error ? { ms: w.node.executionTime, peak: w.windowPeak, before: w.beforePeak, whole: r.wholePeak, cpu: w.cpu ? { client: w.cpu.n8n, server: w.cpu.server } : undefined, fullGcs: w.fullGcs } : { error: w.error };
		}
		if (!up.error) {
			const head = await ctx.sdk.head(BUCKET, key(c));
			if (head?.ContentLength !== size) up = { error: `object after upload: ${head ? `${head.ContentLength} bytes` : 'missing'}` };
		}
		if (up.error) log(`  FAILED: ${up.error}`);
		else {
			uploaded.push(key(c));
			log(`  ${(up.ms / 1000).toFixed(2)} s, ${mibs(up.ms).toFixed(1)} MiB/s, peak RSS ${(up.peak / MiB).toFixed(0)} MiB${up.before ? ` (${(up.before / MiB).toFixed(0)} MiB just before the node ran)` : ''}${up.fullGcs !== undefined ? `, ${up.fullGcs} full GCs in n8n` : ''}`);
		}
		// CPU seconds per GiB (client: n8n's process tree or the script; server: the RGW's processes):
		// steadier than MiB/s on a busy machine, where it is the cost that counts
		const perGiB = (ms) => (ms === undefined ? undefined : ms / 1000 / (size / GiB));
		res[`up.${c}`] = up.error
			? { error: up.error, load }
			: { mibs: mibs(up.ms), ms: up.ms, rss: up.peak, before: up.before, growth: up.before ? up.peak - up.before : undefined, load, cpuClient: perGiB(up.cpu?.client), cpuServer: perGiB(up.cpu?.server), fullGcs: up.fullGcs };
	}

	for (const c of order) {
		const k = uploaded.includes(key(c)) ? key(c) : uploaded[0];
		const load = await quietStart(ctx, `run ${run + 1} download ${c}`);
		log(`run ${run + 1}: download ${fmtSize(size)} — ${c}${k && k !== key(c) ? ` (of ${k}: its own upload failed)` : ''} (load average ${load.toFixed(2)})`);
		if (!k) {
			res[`down.${c}`] = { error: 'no object was uploaded', load };
			continue;
		}
		const target = path.join(ctx.dataDir, `download-${c}.bin`);
		let down;
		if (c === 'sdk') {
			const r = await runTool(ctx, process.execPath, [path.join(BENCH, 'sdk-child.js'), 'download', BUCKET, k, target], sdkEnv, `sdk-download-${run}`);
			down = r.code === 0 ? { ms: JSON.parse(r.output.trim().split('\n').pop()).ms, peak: r.peak, bytes: fs.statSync(target).size } : { error: tail(r.output, 3) };
		} else if (c === 'aws') {
			const r = await runTool(ctx, 'aws', ['s3', 'cp', '--only-show-errors', '--endpoint-url', s3.endpoint, `s3://${BUCKET}/${k}`, target], awsEnv, `aws-download-${run}`);
			down = r.code === 0 ? { ms: r.wall, peak: r.peak, bytes: fs.statSync(target).size } : { error: tail(r.output, 3) };
		} else {
			const r = await runN8n(ctx, [`down-${c}`], { BENCH_KEY: k }, `down-${c}-${run}`);
			const w = r[`down-${c}`];
			down = w.ok ? { ms: w.node.executionTime, peak: w.windowPeak, before: w.beforePeak, bytes: w.node.binary0?.bytes, fullGcs: w.fullGcs } : { error: w.error };
		}
		fs.rmSync(target, { force: true });
		if (!down.error && down.bytes !== size) down = { error: `downloaded ${down.bytes} bytes, not ${size}` };
		if (down.error) log(`  FAILED: ${down.error}`);
		else log(`  ${(down.ms / 1000).toFixed(2)} s, ${mibs(down.ms).toFixed(1)} MiB/s, peak RSS ${(down.peak / MiB).toFixed(0)} MiB${down.before ? ` (${(down.before / MiB).toFixed(0)} MiB just before the node ran)` : ''}${down.fullGcs !== undefined ? `, ${down.fullGcs} full GCs in n8n` : ''}`);
		res[`down.${c}`] = down.error ? { error: down.error, load } : { mibs: mibs(down.ms), ms: down.ms, rss: down.peak, before: down.before, growth: down.before ? down.peak - down.before : undefined, load, fullGcs: down.fullGcs };
	}
}

async function bulkSections(ctx, run, res) {
	const { opts } = ctx;
	if (!opts.sections.some((x) => x !== 'file')) return;
	const sdk = ctx.sdkBulk;
	const names = [];
	// --contenders also narrows these sections (ours / builtin / sdk)
	const want = (c) => !opts.contenders || opts.contenders.includes(c);
	const both = (what) => ['ours', 'builtin'].filter(want).map((c) => `${what}-${c}`);
	if (opts.sections.includes('small')) names.push(...both('small'));
	if (opts.sections.includes('list')) names.push(...both('list'));
	if (opts.sections.includes('delete')) {
		names.push(...both('del'));
		log(`run ${run + 1}: seeding ${opts.del} keys in each delete bucket`);
		for (const b of Object.values(DEL_BUCKETS)) await seedKeys(sdk, b, 'del/', opts.del);
		ctx.proxy.reset();
	}
	let bulkLoad;
	const r = {};
	const measured = [...names];
	// The n8n batch (ours, the built-in node), ours with Key a folder, the bare node and the SDK
	// script's small uploads run in an order that rotates from run to run, as in the file section,
	// so that no contender always follows the same one (the RGW's state after the measurement
	// before, how long the machine has been busy).
	const steps = [];
	if (names.length) {
		steps.push(async () => {
			bulkLoad = await quietStart(ctx, `run ${run + 1} n8n bulk workflows`);
			log(`run ${run + 1}: n8n execute-batch: ${names.join(', ')} (load average ${bulkLoad.toFixed(2)})`);
			Object.assign(r, await runN8n(ctx, names, {}, `bulk-${run}`, ctx.s3bulk));
		});
	}
	// one small-upload workflow in an n8n process of its own, so that it starts as cold as the
	// other small-upload contenders (the SDK's code gets much cheaper per request as V8 optimises
	// it, over the first few thousand requests of a process)
	const alone = (name, what) => async () => {
		const load = await quietStart(ctx, `run ${run + 1} n8n small uploads, ${what}`);
		log(`run ${run + 1}: n8n execute-batch: ${name} (load average ${load.toFixed(2)})`);
		Object.assign(r, await runN8n(ctx, [name], {}, `${name}-${run}`, ctx.s3bulk));
		r[name].load = load;
		measured.push(name);
	};
	if (names.includes('small-ours')) steps.push(alone('small-oursdir', 'Key a folder'));
	// the thinnest n8n node (bench/bare-node)
	if (names.includes('small-ours') && opts.bare) steps.push(alone('small-bare', 'bare node'));
	if (opts.sections.includes('small') && want('sdk')) {
		// the ceiling: the same PutObjects from a plain script (no n8n) at the node's concurrency
		steps.push(async () => {
			const s3 = ctx.s3bulk;
			const env = { ...process.env, NODE_OPTIONS: '', BENCH_S3_ENDPOINT: s3.endpoint, BENCH_S3_ACCESS_KEY_ID: s3.accessKeyId, BENCH_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, BENCH_S3_REGION: s3.region };
			const serverCpu = () => (s3.pids?.() ?? []).reduce((sum, pid) => sum + h.cpuMsOf(pid), 0);
			const concurrency = opts.concurrency ?? NODE_DEFAULTS.concurrency;
			const load = await quietStart(ctx, `run ${run + 1} small uploads sdk`);
			const before = serverCpu();
			const prof = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`, `--cpu-prof-name=sdk-small-${run}.cpuprofile`] : [];
			const t = await runTool(ctx, process.execPath, [...prof, path.join(BENCH, 'sdk-child.js'), 'small', BUCKET, 'small-sdk/', String(opts.small), String(concurrency)], env, `sdk-small-${run}`);
			const server = serverCpu() - before;
			const out = t.code === 0 ? JSON.parse(t.output.trim().split('\n').pop()) : null;
			res['small.sdk'] =
				out && out.bytes === opts.small
					? { ips: opts.small / (out.ms / 1000), clientCpu: out.cpuMs / opts.small, serverCpu: server / opts.small, load }
					: { error: out ? `${out.bytes} objects` : tail(t.output, 3), load };
			const sr = res['small.sdk'];
			log(
				`  ${opts.small} × 4 KiB PutObject, SDK script (own process, ${concurrency} at once): ${sr.error ? `FAILED: ${sr.error}` : `${sr.ips.toFixed(1)} items/s; CPU per item: script ${sr.clientCpu.toFixed(2)} ms, server ${sr.serverCpu.toFixed(2)} ms`}`,
			);
		});
	}
	for (let k = 0; k < steps.length; k++) await steps[(k + run) % steps.length]();
	for (const c of ['ours', 'oursdir', 'bare', 'builtin']) {
		if (measured.includes(`small-${c}`)) {
			const w = r[`small-${c}`];
			const bad = w.ok && w.node.items !== opts.small ? `${w.node.items} items out, not ${opts.small}` : undefined;
			res[`small.${c}`] =
				w.ok && !bad
					? {
							ips: opts.small / (w.node.executionTime / 1000),
							ms: w.node.executionTime,
							// CPU per item (ms): the n8n process tree, and the S3 server
							clientCpu: w.cpu ? w.cpu.n8n / opts.small : undefined,
							serverCpu: w.cpu ? w.cpu.server / opts.small : undefined,
							fullGcs: w.fullGcs,
							load: w.load ?? bulkLoad,
						}
					: { error: w.error ?? bad, load: w.load ?? bulkLoad };
			const sr = res[`small.${c}`];
			log(
				`  ${opts.small} × 4 KiB uploads, ${c}: ${sr.error ? `FAILED: ${sr.error}` : `${secs(w.node.executionTime)}, ${sr.ips.toFixed(1)} items/s; CPU per item: n8n ${sr.clientCpu?.toFixed(2) ?? '?'} ms, server ${sr.serverCpu?.toFixed(2) ?? '?'} ms`}`,
			);
		}
		if (measured.includes(`list-${c}`)) {
			const w = r[`list-${c}`];
			const bad = w.ok && w.node.items !== opts.list ? `${w.node.items} items, not ${opts.list}` : undefined;
			res[`list.${c}`] = w.ok && !bad ? { s: w.node.executionTime / 1000 } : { error: w.error ?? bad };
			log(`  list ${opts.list} keys, ${c}: ${res[`list.${c}`].error ? `FAILED: ${res[`list.${c}`].error}` : `${res[`list.${c}`].s.toFixed(2)} s`}`);
		}
		if (measured.includes(`del-${c}`)) {
			const w = r[`del-${c}`];
			const left = (await sdk.keys(DEL_BUCKETS[c], 'del/')).length;
			const bad = w.ok && left ? `${left}+ keys left` : undefined;
			res[`del.${c}`] = w.ok && !bad ? { s: w.node.executionTime / 1000, req: ctx.proxy.count(DEL_BUCKETS[c]) } : { error: w.error ?? bad, req: ctx.proxy.count(DEL_BUCKETS[c]) };
			log(`  delete folder of ${opts.del}, ${c}: ${res[`del.${c}`].error ? `FAILED after ${res[`del.${c}`].req} requests: ${res[`del.${c}`].error}` : `${res[`del.${c}`].s.toFixed(2)} s, ${res[`del.${c}`].req} requests`}`);
		}
	}

	const { S3Client, paginateListObjectsV2, DeleteObjectsCommand } = sdk.sdk;
	const fresh = (endpoint) =>
		new S3Client({
			endpoint,
			region: ctx.s3bulk.region,
			forcePathStyle: true,
			credentials: { accessKeyId: ctx.s3bulk.accessKeyId, secretAccessKey: ctx.s3bulk.secretAccessKey },
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED',
		});
	if (opts.sections.includes('list') && want('sdk')) {
		// a plain script in its own process (as the upload/download one), timed inside
		const s3 = ctx.s3bulk;
		const env = { ...process.env, NODE_OPTIONS: '', BENCH_S3_ENDPOINT: s3.endpoint, BENCH_S3_ACCESS_KEY_ID: s3.accessKeyId, BENCH_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, BENCH_S3_REGION: s3.region };
		const r = await runTool(ctx, process.execPath, [path.join(BENCH, 'sdk-child.js'), 'list', BUCKET, 'list/'], env, `sdk-list-${run}`);
		const out = r.code === 0 ? JSON.parse(r.output.trim().split('\n').pop()) : null;
		res['list.sdk'] = out && out.bytes === opts.list ? { s: out.ms / 1000 } : { error: out ? `${out.bytes} keys` : tail(r.output, 3) };
		log(`  list ${opts.list} keys, SDK paginator (own process): ${res['list.sdk'].error ? `FAILED: ${res['list.sdk'].error}` : `${res['list.sdk'].s.toFixed(2)} s`}`);
	}
	if (opts.sections.includes('delete') && want('sdk')) {
		const client = fresh(ctx.proxy.endpoint);
		const t = process.hrtime.bigint();
		for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: DEL_BUCKETS.sdk, Prefix: 'del/' })) {
			const objs = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
			if (objs.length) await client.send(new DeleteObjectsCommand({ Bucket: DEL_BUCKETS.sdk, Delete: { Objects: objs, Quiet: true } }));
		}
		const s = Number(process.hrtime.bigint() - t) / 1e9;
		client.destroy();
		res['del.sdk'] = { s, req: ctx.proxy.count(DEL_BUCKETS.sdk) };
		log(`  delete folder of ${opts.del}, SDK (paginator + DeleteObjects): ${s.toFixed(2)} s, ${res['del.sdk'].req} requests`);
	}
}

// --------------------------------------------------------------------------------- report
function report(ctx, all) {
	const { opts } = ctx;
	const pick = (k, f) => {
		const vals = all.map((r) => r[k]).filter(Boolean);
		const ok = vals.filter((v) => !v.error && v[f] !== undefined);
		if (!vals.length || (!ok.length && !vals.some((v) => v.error))) return { none: true };
		if (!ok.length) return { error: vals[0].error };
		return { v: median(ok.map((v) => v[f])), failedRuns: vals.length - ok.length };
	};
	const fmt = (x, digits = 1, unit = '') => (x.none ? '—' : x.error ? `fails: ${x.error}` : `${x.v.toFixed(digits)}${unit}${x.failedRuns ? ` (${x.failedRuns} run(s) failed)` : ''}`);
	const ratio = (a, b) => (a.v === undefined || b.v === undefined || !b.v ? '—' : `${(a.v / b.v).toFixed(2)}×`);
	const mibRss = (k) => {
		const x = pick(k, 'rss');
		return x.v === undefined ? x : { ...x, v: x.v / MiB };
	};
	const idleUp = mibRss('idle.up');
	const idleDown = mibRss('idle.down');
	const cs = ctx.contenders;
	const has = (c) => cs.includes(c);
	const head = ['figure', 'S3 Storage (ours)', 'n8n built-in S3', 'ours / built-in', 'plain SDK script', 'ours / SDK', 'aws s3 cp', 'ours / aws', 'target'];
	const rows = [];
	const sizeLabel = fmtSize(ctx.size);
	const withRatio = (label, key, field, digits, unit, target, convert = (x) => x) => {
		const get = (c) => {
			const x = pick(`${key}.${c}`, field);
			return x.v === undefined ? x : { ...x, v: convert(x.v) };
		};
		const o = get('ours');
		const b = get('builtin');
		const s = get('sdk');
		const a = get('aws');
		rows.push([label, fmt(o, digits, unit), fmt(b, digits, unit), ratio(o, b), fmt(s, digits, unit), ratio(o, s), fmt(a, digits, unit), ratio(o, a), target]);
		return { o, b, s, a };
	};
	const verdicts = [];
	// a figure is a verdict only from enough runs on a quiet machine: else '–' and the reason
	let caveat;
	const check = (what, ok) => verdicts.push(`${ok === undefined || caveat ? '–' : ok ? '✓' : '✗'} ${what}${caveat && ok !== undefined ? ` (${ok ? 'met' : 'not met'}, but ${caveat}: not a verdict)` : ''}`);
	const busyIn = (re) => all.flatMap((r) => Object.entries(r).filter(([k, v]) => re.test(k) && v && typeof v.load === 'number' && v.load >= opts.maxLoad)).length;
	const caveatFor = (re, minRuns) => {
		const why = [];
		if (all.length < minRuns) why.push(`${all.length} run(s), fewer than ${minRuns}`);
		const busy = busyIn(re);
		if (busy) why.push(`${busy} measurement(s) started at load average ≥ ${opts.maxLoad}`);
		return why.length ? why.join('; ') : undefined;
	};
	if (opts.sections.includes('file')) {
		// medians of at least 5 runs up to 2 GiB; one run is enough above (issue 15)
		caveat = caveatFor(/^(up|down)\./, ctx.size > 2 * GiB ? 1 : 5);
		const up = withRatio(`upload ${sizeLabel}: MiB/s (node time)`, 'up', 'mibs', 1, '', 'ours ≥ 1.0 × SDK, ≥ 1.1 × built-in');
		const sdkDef = pick('up.sdkdef', 'mibs');
		if (!sdkDef.none) rows.push([`upload ${sizeLabel}: MiB/s, the SDK script with lib-storage's defaults (5 MiB × 4)`, '', '', '', fmt(sdkDef, 1), ratio(up.o, sdkDef), '', '', '']);
		const cpuCell = (c) => {
			const cl = pick(`up.${c}`, 'cpuClient');
			const sv = pick(`up.${c}`, 'cpuServer');
			return cl.v === undefined ? '—' : `${cl.v.toFixed(2)} + ${sv.v?.toFixed(2) ?? '?'}`;
		};
		rows.push([`upload ${sizeLabel}: CPU s per GiB, client (n8n's tree / script) + S3 server`, cpuCell('ours'), cpuCell('builtin'), '', cpuCell('sdk'), '', '', '', `${os.cpus().length} cores`]);
		const upr = withRatio(`upload ${sizeLabel}: peak RSS, MiB`, 'up', 'rss', 0, '', `idle run: ${idleUp.v?.toFixed(0) ?? '?'}`, (x) => x / MiB);
		const upg = withRatio(`upload ${sizeLabel}: peak RSS growth over the same n8n process just before the node, MiB`, 'up', 'growth', 0, '', 'ours ≤ 128 MiB', (x) => x / MiB);
		const down = withRatio(`download ${sizeLabel}: MiB/s (node time)`, 'down', 'mibs', 1, '', 'ours ≥ 1.2 × SDK');
		const downr = withRatio(`download ${sizeLabel}: peak RSS, MiB`, 'down', 'rss', 0, '', `idle run: ${idleDown.v?.toFixed(0) ?? '?'}`, (x) => x / MiB);
		const downg = withRatio(`download ${sizeLabel}: peak RSS growth over the same n8n process just before the node, MiB`, 'down', 'growth', 0, '', 'ours ≤ 128 MiB', (x) => x / MiB);
		rows.push([`n8n idle: the same workflows with 1 KiB, RSS, MiB (upload / download)`, `${fmt(idleUp, 0)} / ${fmt(idleDown, 0)}`, '', '', '', '', '', '', '']);
		if (has('sdk') && has('ours')) {
			check(`upload ≥ 1.0 × the SDK script with the node's settings: ${ratio(up.o, up.s)}`, up.o.v !== undefined && up.s.v !== undefined ? up.o.v >= 1.0 * up.s.v : undefined);
			check(`download ≥ 1.2 × SDK: ${ratio(down.o, down.s)}`, down.o.v !== undefined && down.s.v !== undefined ? down.o.v >= 1.2 * down.s.v : undefined);
		}
		if (has('builtin') && has('ours')) {
			check(`upload ≥ 1.1 × built-in: ${ratio(up.o, up.b)}`, up.o.v !== undefined && up.b.v !== undefined ? up.o.v >= 1.1 * up.b.v : undefined);
		}
		if (has('ours')) {
			// growth over the idle run (another n8n process with a 1 KiB file), shown beside the
			// in-process growth that the check uses: n8n's RSS before the node differs by up to
			// ≈ 70 MiB between otherwise identical processes, which the idle run cannot see
			const g1 = upr.o.v !== undefined && idleUp.v !== undefined ? upr.o.v - idleUp.v : undefined;
			const g2 = downr.o.v !== undefined && idleDown.v !== undefined ? downr.o.v - idleDown.v : undefined;
			check(
				`upload peak RSS growth ≤ 128 MiB: ${upg.o.v?.toFixed(0) ?? '?'} MiB over the process just before the node (${g1?.toFixed(0) ?? '?'} MiB over the idle run)`,
				upg.o.v === undefined ? undefined : upg.o.v <= 128,
			);
			check(
				`download peak RSS growth ≤ 128 MiB: ${downg.o.v?.toFixed(0) ?? '?'} MiB over the process just before the node (${g2?.toFixed(0) ?? '?'} MiB over the idle run)`,
				downg.o.v === undefined ? undefined : downg.o.v <= 128,
			);
		}
	}
	if (opts.sections.includes('small')) {
		const o = pick('small.ours', 'ips');
		const b = pick('small.builtin', 'ips');
		const s = pick('small.sdk', 'ips');
		caveat = caveatFor(/^small\./, 1);
		rows.push([`${opts.small} × 4 KiB uploads, one execution: items/s`, fmt(o, 1), fmt(b, 1), ratio(o, b), `${fmt(s, 1)}${s.v !== undefined && b.v ? ` (${ratio(s, b)} built-in)` : ''}`, ratio(o, s), '', '', 'ours ≥ 0.95 × SDK ceiling']);
		const cpuCell = (c) => {
			const cl = pick(`small.${c}`, 'clientCpu');
			const sv = pick(`small.${c}`, 'serverCpu');
			return cl.v === undefined ? '—' : `${cl.v.toFixed(2)} + ${sv.v?.toFixed(2) ?? '?'}`;
		};
		rows.push([`the same: CPU ms per item, client (n8n / script) + S3 server`, cpuCell('ours'), cpuCell('builtin'), '', cpuCell('sdk'), '', '', '', `${os.cpus().length} cores`]);
		const d = pick('small.oursdir', 'ips');
		if (d.v !== undefined || d.error) {
			rows.push([`the same with Key a folder ("small-oursdir/", no Key expression): items/s`, fmt(d, 1), '', '', fmt(s, 1), ratio(d, s), '', '', 'ours ≥ 0.95 × SDK ceiling']);
			rows.push([`the same: CPU ms per item, client + S3 server`, cpuCell('oursdir'), '', '', cpuCell('sdk'), '', '', '', `${os.cpus().length} cores`]);
		}
		const bare = pick('small.bare', 'ips');
		if (bare.v !== undefined || bare.error) {
			rows.push([`the same from the thinnest n8n node (bench/bare-node: the same Key expression, n8n's getBinaryDataBuffer, this node's client): items/s`, fmt(bare, 1), '', '', fmt(s, 1), ratio(bare, s), '', '', `ours / bare node: ${ratio(o, bare)}`]);
			rows.push([`the same: CPU ms per item, client + S3 server`, cpuCell('bare'), '', '', cpuCell('sdk'), '', '', '', `${os.cpus().length} cores`]);
		}
		check(`${opts.small} small uploads ≥ 0.95 × the SDK-script ceiling, Key an expression per item: ${ratio(o, s)}`, o.v !== undefined && s.v !== undefined ? o.v >= 0.95 * s.v : undefined);
		if (d.v !== undefined) check(`${opts.small} small uploads ≥ 0.95 × the SDK-script ceiling, Key a folder: ${ratio(d, s)}`, s.v !== undefined ? d.v >= 0.95 * s.v : undefined);
	}
	if (opts.sections.includes('list')) {
		caveat = undefined;
		const o = pick('list.ours', 's');
		const b = pick('list.builtin', 's');
		const s = pick('list.sdk', 's');
		rows.push([`list ${opts.list} keys (Return All): s`, fmt(o, 2), fmt(b, 2), ratio(o, b), fmt(s, 2), ratio(o, s), '', '', 'ours ≤ 1.1 × paginator']);
		check(`list ≤ 1.1 × paginator: ${ratio(o, s)}`, o.v !== undefined && s.v !== undefined ? o.v <= 1.1 * s.v : undefined);
	}
	if (opts.sections.includes('delete')) {
		const cell = (c) => {
			const x = pick(`del.${c}`, 's');
			const r = pick(`del.${c}`, 'req');
			const req = all.map((rr) => rr[`del.${c}`]?.req).find((v) => v !== undefined);
			if (x.error) return `fails after ${req ?? '?'} requests: ${x.error}`;
			return x.v === undefined ? '—' : `${x.v.toFixed(2)} s, ${r.v} requests`;
		};
		const o = pick('del.ours', 's');
		const b = pick('del.builtin', 's');
		const s = pick('del.sdk', 's');
		rows.push([`delete a folder of ${opts.del} keys: s, requests`, cell('ours'), cell('builtin'), ratio(o, b), `${cell('sdk')} (paginator + DeleteObjects)`, ratio(o, s), '', '', 'DeleteObjects, 1000 keys/request']);
	}
	// drop columns that are empty everywhere
	const keep = head.map((_, i) => i === 0 || rows.some((r) => r[i] !== '' && r[i] !== '—' && r[i] !== undefined));
	const cols = (r) => r.filter((_, i) => keep[i]);
	const esc = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
	const table = [`| ${cols(head).join(' | ')} |`, `|${cols(head).map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols(r).map(esc).join(' | ')} |`)];
	// every run's figure with the load average it started at (* = busy), in the order measured
	const labels = {
		up: `upload ${sizeLabel}, MiB/s`,
		down: `download ${sizeLabel}, MiB/s`,
		small: `${opts.small} small uploads, items/s`,
	};
	const names = { ours: 'ours', oursdir: 'ours, Key a folder', bare: 'bare n8n node', builtin: 'built-in', sdk: 'SDK script', sdkdef: 'SDK script, lib-storage defaults', aws: 'aws s3 cp' };
	const details = [];
	for (const [what, field, digits] of [
		['up', 'mibs', 1],
		['down', 'mibs', 1],
		['small', 'ips', 1],
	]) {
		for (const c of ['ours', 'oursdir', 'bare', 'builtin', 'sdk', 'sdkdef', 'aws']) {
			const vals = all.map((r) => r[`${what}.${c}`]);
			if (!vals.some(Boolean)) continue;
			const cells = vals.map((v) => {
				if (!v) return '—';
				const gcs = v.fullGcs ? `; ${v.fullGcs} full GC${v.fullGcs === 1 ? '' : 's'}` : '';
				const load = typeof v.load === 'number' ? ` (${v.load.toFixed(2)}${v.load >= opts.maxLoad ? '*' : ''}${gcs})` : '';
				return v.error ? `failed${load}` : `${v[field].toFixed(digits)}${load}`;
			});
			details.push(`- ${labels[what]}, ${names[c]}: ${cells.join(', ')}`);
		}
	}
	return { table: table.join('\n'), verdicts, details };
}

function machine() {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		cpu: cpus[0]?.model?.trim() ?? '?',
		ram: `${(os.totalmem() / GiB).toFixed(1)} GiB`,
		node: process.version,
		kernel: `${os.type()} ${os.release()}`,
	};
}

/** Other Ceph clusters / jest runs on the machine while we measured (noise). */
function otherLoad(ctx) {
	const others = { radosgw: 0, jest: 0 };
	for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		let cmd = '';
		try {
			cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
		} catch {
			continue;
		}
		if (/\bradosgw\b/.test(cmd) && !cmd.includes(ctx.s3?.dir) && !cmd.includes(ctx.s3bulk?.dir)) others.radosgw++;
		if (/jest/.test(cmd) && !/node_modules\/\.bin\/jest --version/.test(cmd)) others.jest++;
	}
	return others;
}

// ------------------------------------------------------------------------------------ main
async function main() {
	const opts = parseArgs(process.argv.slice(2));
	// V8 prints one line per collection to n8n's log: the report counts the full ones (mark-compact)
	// during each measured node, which is what a slow download is (bench/results.md, session 8)
	if (opts.gcTrace) process.env.E2E_N8N_NODE_ARGS = `${process.env.E2E_N8N_NODE_ARGS ?? ''} --trace-gc`.trim();
	if (opts.cpuProf) {
		fs.mkdirSync(opts.cpuProf, { recursive: true });
		process.env.E2E_N8N_NODE_ARGS = `${process.env.E2E_N8N_NODE_ARGS ?? ''} --cpu-prof --cpu-prof-dir=${opts.cpuProf}`.trim();
	}
	// the trigger section runs on its own RGW (bench/trigger.js), after the others
	const wantTrigger = opts.sections.includes('trigger');
	opts.sections = opts.sections.filter((x) => x !== 'trigger');
	const cmdline = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
	if (!fs.existsSync(path.join(h.PACKAGE_DIR, 'dist', 'nodes', 'S3Storage', 'S3Storage.node.js'))) throw new UsageError('dist/ is missing: run `npm run build` first (npm run bench does)');
	const aws = awsCli();
	let contenders = opts.contenders ?? ['sdk', 'ours', 'builtin', 'aws'];
	if (!opts.contenders && opts.size > 2 * GiB) contenders = contenders.filter((c) => c !== 'builtin');
	if (!aws) contenders = contenders.filter((c) => c !== 'aws');
	contenders = ['sdk', 'ours', 'builtin', 'aws'].filter((c) => contenders.includes(c));
	const size = opts.size;

	fs.mkdirSync(h.WORK, { recursive: true });
	await h.sweepStale();
	await h.ensureN8nInstalled({ verbose: opts.verbose });
	const runDir = path.join(h.WORK, `bench-${process.pid}`);
	const dataDir = path.join(runDir, 'data');
	const userFolder = path.join(runDir, 'n8n');
	const logDir = path.join(runDir, 'logs');
	const snapDir = path.join(runDir, 'snapshots');
	for (const d of [dataDir, userFolder, logDir, snapDir]) fs.mkdirSync(d, { recursive: true });
	let keepRunDir = opts.keep;
	h.addCleanup(async () => {
		if (keepRunDir && !opts.keep) fs.rmSync(dataDir, { recursive: true, force: true }); // GiB-sized; logs are what matters
		if (keepRunDir) log(`work folder kept: ${path.relative(process.cwd(), runDir)}`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	});

	const fileSection_ = opts.sections.includes('file');
	const n8nFileContenders = contenders.filter((c) => c === 'ours' || c === 'builtin').length;
	// bluestore: the objects of the file section (old versions are garbage-collected late) + the small ones
	const storeGb = Math.max(8, Math.ceil(((fileSection_ ? size * (contenders.length + (opts.sdkDefaults && contenders.includes('sdk') ? 1 : 0)) : 0) * (opts.runs > 1 ? 2 : 1) * 1.25) / GiB) + 4);
	const needDisk = (fileSection_ ? size * (1 + 2 * Math.min(1, n8nFileContenders) + 1) : 0) + (opts.store === 'bluestore' ? storeGb * GiB * 0.6 : 0);
	const freeDisk = fs.statfsSync(h.WORK).bavail * fs.statfsSync(h.WORK).bsize;
	if (needDisk > freeDisk) throw new UsageError(`not enough disk under ${h.WORK}: need ≈ ${(needDisk / GiB).toFixed(1)} GiB, ${(freeDisk / GiB).toFixed(1)} GiB free`);

	const ctx = { opts, contenders, size, dataDir, userFolder, logDir, snapDir, loads: [], partSizeMiB: opts.partSize ?? NODE_DEFAULTS.partSize, queueSize: opts.queueSize ?? NODE_DEFAULTS.queueSize };
	const triggerMd = () => triggerSection({ objects: opts.triggerObjects, runs: Math.max(3, opts.runs), runDir, keep: opts.keep, verbose: opts.verbose });
	if (!opts.sections.length) {
		const text = `# S3 Storage Trigger benchmark\n\n- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}\n- command: \`${cmdline}\`\n\n${await triggerMd()}\n`;
		process.stdout.write(`\n${text}`);
		const out = process.argv.some((a) => a.startsWith('--out=')) ? opts.out : path.join(BENCH, 'results-trigger.md');
		if (out) fs.writeFileSync(out, text);
		return 0;
	}
	try {
		if (fileSection_) {
			ctx.bigFile = path.join(dataDir, `big-${size}.bin`);
			log(`generating a ${fmtSize(size)} file...`);
			makeFile(ctx.bigFile, size);
		}
		ctx.tinyFile = path.join(dataDir, 'tiny.bin');
		makeFile(ctx.tinyFile, 1024);

		const needBulk = opts.sections.some((x) => x !== 'file');
		const startRgw = async (store, gb, what) => {
			log(`starting Ceph RGW for ${what} (${store}, ${gb} GB)...`);
			const s3 = await h.startS3({ s3: 'rgw', osdStore: store, storeGb: gb, keep: opts.keep, verbose: opts.verbose, bucket: BUCKET }, runDir);
			h.bailIfInterrupted();
			log(`  ${s3.label} at ${s3.endpoint}`);
			const sdk = h.sdkFor(s3);
			h.addCleanup(async () => sdk.client.destroy());
			for (const b of [BUCKET, ...Object.values(DEL_BUCKETS)]) await sdk.ensureBucket(b);
			return { s3, sdk };
		};
		if (fileSection_) ({ s3: ctx.s3, sdk: ctx.sdk } = await startRgw(opts.store, storeGb, needBulk && opts.bulkStore === opts.store ? 'all sections' : 'the file section'));
		if (needBulk) {
			if (fileSection_ && opts.bulkStore === opts.store) [ctx.s3bulk, ctx.sdkBulk] = [ctx.s3, ctx.sdk];
			else ({ s3: ctx.s3bulk, sdk: ctx.sdkBulk } = await startRgw(opts.bulkStore, 8, 'small/list/delete'));
		}
		ctx.s3 ??= ctx.s3bulk;
		ctx.sdk ??= ctx.sdkBulk;
		ctx.proxy = await startCountingProxy((ctx.s3bulk ?? ctx.s3).endpoint);
		h.addCleanup(async () => ctx.proxy.close());
		if (opts.sections.includes('list')) {
			log(`seeding ${opts.list} keys under list/ ...`);
			const t = Date.now();
			await seedKeys(ctx.sdkBulk, BUCKET, 'list/', opts.list);
			log(`  ${secs(Date.now() - t)}`);
		}

		ctx.wfs = workflows({
			bucket: BUCKET,
			smallCount: opts.small,
			listPrefix: 'list/',
			delBuckets: DEL_BUCKETS,
			uploadOptions: { ...(opts.partSize ? { partSize: opts.partSize } : {}), ...(opts.queueSize ? { queueSize: opts.queueSize } : {}) },
			smallOptions: opts.concurrency ? { concurrency: opts.concurrency } : {},
			smallConcurrency: opts.concurrency ?? NODE_DEFAULTS.concurrency,
		});
		if (opts.sections.includes('folders')) {
			Object.assign(ctx.wfs, folders.workflows());
			ctx.foldersOpts = folders.parseOptions(opts.folders);
			ctx.foldersDefaults = folders.readDefaults(ROOT);
		}
		log('preparing the n8n user folder...');
		const prep = await h.prepareUserFolder(userFolder, { workflows: Object.values(ctx.wfs), credentials: credentials(), s3: ctx.s3, logDir, verbose: opts.verbose });
		log(`  ${prep.how}`);
		if (opts.bare) {
			// the bare node's package, next to this one in n8n's community nodes folder
			const link = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-bench-bare');
			if (!fs.existsSync(link)) fs.symlinkSync(path.join(BENCH, 'bare-node'), link, 'dir');
		}

		const all = [];
		const noise = [];
		for (let run = 0; run < opts.runs; run++) {
			const res = {};
			all.push(res);
			noise.push({ at: 'start', load: os.loadavg()[0], ...otherLoad(ctx) });
			if (fileSection_ && contenders.some((c) => c === 'ours' || c === 'builtin')) {
				// the same workflows with a 1 KiB file: RSS around the node's run (the same window), the same stage
				// of the same kind of n8n process as the measured runs
				log(`run ${run + 1}: n8n idle reference (the upload and download workflows with a 1 KiB file)`);
				storeInput(ctx, ctx.tinyFile);
				const u = await runN8n(ctx, ['up-ours'], { BENCH_KEY: 'bench/idle.bin' }, `idle-up-${run}`);
				const d = u['up-ours'].ok ? await runN8n(ctx, ['down-ours'], { BENCH_KEY: 'bench/idle.bin' }, `idle-down-${run}`) : null;
				res['idle.up'] = u['up-ours'].ok ? { rss: u['up-ours'].idlePeak } : { error: u['up-ours'].error };
				res['idle.down'] = d?.['down-ours'].ok ? { rss: d['down-ours'].idlePeak } : { error: d?.['down-ours'].error ?? 'no idle upload' };
				log(`  idle RSS: upload workflow ${(u['up-ours'].idlePeak / MiB).toFixed(0)} MiB, download workflow ${d ? (d['down-ours'].idlePeak / MiB).toFixed(0) : '?'} MiB (whole runs' peaks ${(u.wholePeak / MiB).toFixed(0)} / ${d ? (d.wholePeak / MiB).toFixed(0) : '?'})`);
			}
			if (fileSection_) await fileSection(ctx, run, res);
			await bulkSections(ctx, run, res);
			if (opts.sections.includes('folders')) await folders.section(ctx, run, res, { runN8n, runTool });
			noise.push({ at: 'end', load: os.loadavg()[0], ...otherLoad(ctx) });
		}

		// the figures first: a report that fails can be made again from raw.json
		fs.writeFileSync(path.join(runDir, 'raw.json'), JSON.stringify(all, null, 2));
		const { table, verdicts, details } = report(ctx, all);
		const measured = ctx.loads.length;
		const busyRuns = ctx.loads.filter((l) => l.busy).length;
		const m = machine();
		const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
		const partSize = opts.partSize ?? NODE_DEFAULTS.partSize;
		const queueSize = opts.queueSize ?? NODE_DEFAULTS.queueSize;
		const busy = noise.filter((n) => n.radosgw > 0 || n.jest > 0);
		const lines = [
			`# S3 Storage node benchmark`,
			'',
			`- date: ${date}`,
			`- command: \`${cmdline}\` (${opts.runs === 1 ? '1 run' : `median of ${opts.runs} runs`})`,
			`- machine: ${m.cores} cores (${m.cpu}), ${m.ram} RAM, ${m.kernel}, Node.js ${m.node}`,
			`- n8n ${h.n8nVersion()} (execute-batch, filesystem binary mode); S3: ${fileSection_ ? `file section on ${ctx.s3.label}` : ''}${fileSection_ && ctx.s3bulk ? ', ' : ''}${ctx.s3bulk ? `small/list/delete on ${ctx.s3bulk === ctx.s3 && fileSection_ ? 'the same' : ctx.s3bulk.label}` : ''}; ${aws ?? 'no aws CLI'}`,
			`- upload settings: this node part size ${partSize} MiB × ${queueSize} parts in flight (${opts.partSize || opts.queueSize ? 'given on the command line' : 'its defaults'}); the SDK script ${opts.sdkPartSize || opts.sdkQueueSize ? `${opts.sdkPartSize ?? partSize} MiB × ${opts.sdkQueueSize ?? queueSize} (given on the command line)` : `the same, ${partSize} MiB × ${queueSize}`}${opts.sdkDefaults && contenders.includes('sdk') && fileSection_ ? "; its extra row: lib-storage's defaults (5 MiB × 4)" : ''}; aws s3 cp its defaults (8 MiB × 10)`,
			`- small uploads: this node's Concurrency ${opts.concurrency ?? NODE_DEFAULTS.concurrency}; the built-in node runs items one at a time`,
			`- load average at start/end of each run: ${noise.map((n) => n.load.toFixed(2)).join(' / ')}${busy.length ? `; NOISY: other processes were running (${[...new Set(busy.map((n) => `${n.radosgw} other radosgw, ${n.jest} jest`))].join('; ')})` : ''}`,
			`- measurements started at load average ≥ ${opts.maxLoad} (busy): ${busyRuns} of ${measured}${busyRuns ? ' — these figures do not judge anything' : ''}`,
			'',
			table,
			'',
			`Method: ${opts.runs} run(s), contenders interleaved one measurement each per run in an order that rotates between runs; medians shown; before each measurement the page cache is flushed (sync) and the bench waits (≤ ${opts.settle} s) for the 1-minute load average to drop below ${opts.maxLoad} and is marked busy if it does not.`,
			"n8n figures are the node's own executionTime in one execution (input already in n8n's filesystem binary store); the SDK script (same SDK, the node's part size and parts in flight) times its own transfer.",
			'',
			'Targets (issue 15):',
			...verdicts.map((v) => `- ${v}`),
			'',
			...(opts.sections.includes('folders') ? folders.report(ctx, all, median) : []),
			`Every run (load average at its start; * = busy${opts.gcTrace ? "; full GCs = V8 mark-compacts in n8n's process during the node, from --trace-gc, shown when not 0" : ''}):`,
			...details,
			'',
			'How: times of n8n nodes are the node\'s `executionTime` from the execution\'s runData (n8n start-up excluded;',
			'the upload\'s input file is already in n8n\'s filesystem binary store); peak RSS is the largest sum of VmRSS over the n8n process and its children,',
			'sampled every 100 ms from 1.5 s before the node to 0.5 s after it; "idle" is the same measure in a run of the',
			'same workflow with a 1 KiB file. Each workflow waits 3 s before its work (n8n settles after start-up). Growth is',
			'the peak minus the largest RSS of the same process in the 1.5 s before the node (it idles then); the check uses it',
			'because identical n8n processes differ by up to ≈ 70 MiB before the node runs. The SDK',
			'script times itself (start-up excluded); aws s3 cp is timed from process start to exit.',
			'Requests of the delete row are counted by a pass-through proxy in front of the RGW.',
			'Small uploads: the plain SDK script sends the same 2,000 PutObjects at the node\'s concurrency without n8n (a',
			'ceiling without n8n); the bare n8n node (bench/bare-node) sends them doing only what any n8n node does per item (the',
			'Key expression through getNodeParameter, n8n\'s getBinaryDataBuffer) with this node\'s client: the floor n8n sets.',
			'CPU per item is the CPU time (/proc utime + stime) the client (n8n\'s process tree or the',
			'script) and the S3 server\'s processes used during the run, divided by the items: on a machine whose cores are all busy,',
			'items/s ≈ cores × 1000 / (client + server CPU ms per item).',
		];
		if (wantTrigger) lines.push('', await triggerMd());
		const text = `${lines.join('\n')}\n`;
		process.stdout.write(`\n${text}`);
		if (opts.out) {
			fs.writeFileSync(opts.out, text);
			log(`saved ${path.relative(process.cwd(), opts.out)}`);
		}
		return 0;
	} catch (e) {
		if (!(e instanceof h.Interrupted)) keepRunDir = true;
		throw e;
	}
}

main()
	.then(async (code) => {
		await h.cleanupAll();
		process.exitCode = code;
	})
	.catch(async (e) => {
		if (!h.isSignalled()) process.stderr.write(`\nbench: ${e instanceof UsageError ? e.message : e.stack || e}\n`);
		await h.cleanupAll();
		process.exitCode = e instanceof UsageError ? 2 : 1;
	});
