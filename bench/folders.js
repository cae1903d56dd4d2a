'use strict';
/*
 * The benchmark's "folders" section (issue 10), called from bench/run.js:
 *   - Folder → Copy of N × 4 KiB objects (default 5,000) vs `aws s3 cp --recursive` s3→s3 and
 *     `rclone copy` on one remote (server-side copy);
 *   - Folder → Move of the same vs `aws s3 mv --recursive` and `rclone move`;
 *   - Folder → Download of M × 64 KiB objects (default 1,000) into n8n's filesystem binary store
 *     vs `aws s3 cp --recursive` to a local folder;
 *   - n8n's RSS growth during a Folder → Copy of K objects (default 20,000).
 * Contenders run interleaved within each run (ours, aws, rclone), against the bulk RGW.
 * aws and rclone are the Debian packages (`awscli`, `rclone`), installed with apt-get when
 * missing and running as root; a tool that cannot be installed is left out of the table.
 * Tools use their defaults (aws: 10 requests at once; rclone: --transfers 4 --checkers 8), as
 * people run them; their times are wall times of the process (start-up included, ≈ 0.3–0.6 s).
 *
 * Options (bench/run.js passes every --folders-* argument here):
 *   --folders-count=N        objects copied / moved (default 5000)
 *   --folders-download=N     objects downloaded (default 1000)
 *   --folders-mem=N          objects of the memory run, one in every run (default 20000; 0 skips it)
 *   --folders-mem-in-flight=N   Objects in Flight of the memory run (default: the node's default)
 *   --folders-in-flight=a,b  also time this node's copy with these Objects in Flight values (the
 *                            sweep that chose the default); default: the node's default only
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('../e2e/lib/harness');

const { log, secs, tail, UsageError } = h;
const MiB = 1024 * 1024;
const BUCKET = 'bench';
const CRED = { id: 'benchOursCred', name: 'bench S3 Storage' };

// --------------------------------------------------------------------------------- options
function parseOptions(raw) {
	const o = { count: 5000, download: 1000, mem: 20000, memInFlight: 0, inFlight: [] };
	for (const [k, v] of Object.entries(raw ?? {})) {
		const n = Number(v);
		if (k === 'count' || k === 'download' || k === 'mem') {
			if (!Number.isInteger(n) || n < (k === 'mem' ? 0 : 1)) throw new UsageError(`--folders-${k}: "${v}" is not a whole number`);
			o[k] = n;
		} else if (k === 'mem-in-flight') {
			if (!Number.isInteger(n) || n < 1) throw new UsageError(`--folders-mem-in-flight: "${v}" is not a whole number ≥ 1`);
			o.memInFlight = n;
		} else if (k === 'in-flight') {
			o.inFlight = String(v)
				.split(',')
				.filter(Boolean)
				.map((x) => {
					const m = Number(x);
					if (!Number.isInteger(m) || m < 1) throw new UsageError(`--folders-in-flight: "${x}" is not a whole number ≥ 1`);
					return m;
				});
		} else throw new UsageError(`unknown option --folders-${k} (count, download, mem, mem-in-flight, in-flight)`);
	}
	return o;
}

// ------------------------------------------------------------------------------- workflows
let seq = 0;
const nodeId = () => `00000000-0000-4000-a000-${String(++seq).padStart(12, '0')}`;
const rl = (value) => ({ __rl: true, value, mode: 'name' });
const settle = { name: 'Let n8n settle', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: 3, unit: 'seconds' } };
function linear(id, name, node) {
	const all = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, settle, node].map((n, i) => ({ id: nodeId(), position: [i * 220, 300], ...n }));
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, nodes: all, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {} };
}
const ours = (name, parameters) => ({ name, type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, parameters, credentials: { s3StorageApi: CRED } });
/** Objects in Flight: BENCH_IN_FLIGHT when set, else the node's default (the option left out). */
const inFlight = '={{ $env.BENCH_IN_FLIGHT ? Number($env.BENCH_IN_FLIGHT) : undefined }}';

/**
 * The section's workflows; everything that changes comes from the n8n process's environment:
 * BENCH_SRC / BENCH_DST (folder keys), BENCH_IN_FLIGHT (Objects in Flight, optional).
 * Measured nodes are named "Copy folder", "Move folder" and "Download" (bench/run.js times those).
 */
function workflows() {
	const copyParams = (operation) => ({
		resource: 'folder',
		operation,
		bucketName: rl(BUCKET),
		folderKey: '={{ $env.BENCH_SRC }}',
		destinationBucketName: rl(BUCKET),
		destinationFolderKey: '={{ $env.BENCH_DST }}',
		options: {},
	});
	const withInFlight = (p) => ({ ...p, options: { objectsInFlight: inFlight } });
	return {
		'fcopy-ours': linear('benchFolderCopy1', 'bench: folder copy (S3 Storage)', ours('Copy folder', copyParams('copy'))),
		'fcopy-ours-n': linear('benchFolderCopyN1', 'bench: folder copy, Objects in Flight from env (S3 Storage)', ours('Copy folder', withInFlight(copyParams('copy')))),
		'fmove-ours': linear('benchFolderMove1', 'bench: folder move (S3 Storage)', ours('Move folder', copyParams('move'))),
		'fdown-ours': linear(
			'benchFolderDown1',
			'bench: folder download (S3 Storage)',
			ours('Download', { resource: 'folder', operation: 'download', bucketName: rl(BUCKET), folderKey: '={{ $env.BENCH_SRC }}', returnAll: true, binaryPropertyName: 'data', options: {} }),
		),
	};
}

// ----------------------------------------------------------------------------------- tools
function version(cmd, args) {
	try {
		return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 }).trim().split('\n')[0];
	} catch (e) {
		const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
		return out && e.code !== 'ENOENT' ? out.split('\n')[0] : null;
	}
}

/** The tool's version, installing its Debian package when missing (root only); null when unavailable. */
function ensureTool(cmd, args, pkg) {
	let v = version(cmd, args);
	if (v || process.getuid?.() !== 0) return v;
	log(`folders: ${cmd} is missing: apt-get install ${pkg} (Debian)...`);
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		try {
			execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, stdio: 'ignore', timeout: 600000 });
		} catch {
			execFileSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 600000 });
			execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, stdio: 'ignore', timeout: 600000 });
		}
		v = version(cmd, args);
	} catch (e) {
		log(`folders: could not install ${pkg}: ${String(e.message).split('\n')[0]}`);
	}
	return v;
}

function toolEnvs(ctx, s3) {
	const aws = {
		...process.env,
		AWS_ACCESS_KEY_ID: s3.accessKeyId,
		AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
		AWS_DEFAULT_REGION: s3.region,
		AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
		AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
		AWS_CONFIG_FILE: path.join(ctx.dataDir, 'aws-config-folders'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(ctx.dataDir, 'aws-credentials-folders'),
		AWS_MAX_ATTEMPTS: '3',
	};
	fs.writeFileSync(aws.AWS_CONFIG_FILE, '[default]\ns3 =\n  addressing_style = path\n');
	fs.writeFileSync(aws.AWS_SHARED_CREDENTIALS_FILE, '');
	// an rclone remote named "bench" from the environment (no config file)
	const rclone = {
		...process.env,
		RCLONE_CONFIG: path.join(ctx.dataDir, 'rclone.conf'),
		RCLONE_CONFIG_BENCH_TYPE: 's3',
		RCLONE_CONFIG_BENCH_PROVIDER: 'Ceph',
		RCLONE_CONFIG_BENCH_ENDPOINT: s3.endpoint,
		RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: s3.accessKeyId,
		RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: s3.secretAccessKey,
		RCLONE_CONFIG_BENCH_REGION: s3.region,
		RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
	};
	// rclone's Go SDK fails on an AWS_CA_BUNDLE it cannot use ("unsupported transport") even for
	// plain http; the RGW here is http
	if (s3.endpoint.startsWith('http:')) delete rclone.AWS_CA_BUNDLE;
	fs.writeFileSync(rclone.RCLONE_CONFIG, '');
	return { aws, rclone };
}

// --------------------------------------------------------------------------------- section
async function mapLimit(n, limit, fn) {
	let next = 0;
	await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
		while (next < n) await fn(next++);
	}));
}

async function seed(sdk, prefix, count, size) {
	const body = Buffer.alloc(size, 0x61);
	const t = Date.now();
	await mapLimit(count, 64, (i) => sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${i % 10 ? `d${i % 10}/` : ''}obj-${String(i).padStart(6, '0')}`, Body: body })));
	log(`  seeded ${count} × ${size} B under ${prefix} in ${secs(Date.now() - t)}`);
}

async function countKeys(sdk, prefix) {
	let n = 0;
	let token;
	do {
		const page = await sdk.client.send(new sdk.sdk.ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
		n += page.KeyCount ?? (page.Contents ?? []).length;
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return n;
}

/**
 * One run of the section: fills `res['folders.<what>.<contender>']` with { s } (seconds) or
 * { error }, and `res['folders.mem.ours']` with { growth } (bytes).
 * @param helpers { runN8n, runTool } from bench/run.js
 */
async function section(ctx, run, res, { runN8n, runTool }) {
	const o = (ctx.foldersOpts ??= parseOptions(ctx.opts.folders));
	const s3 = ctx.s3bulk ?? ctx.s3;
	const sdk = ctx.sdkBulk ?? ctx.sdk;
	if (!ctx.folderTools) {
		ctx.folderTools = {
			aws: ensureTool('aws', ['--version'], 'awscli'),
			rclone: ensureTool('rclone', ['version'], 'rclone'),
		};
		log(`folders: aws ${ctx.folderTools.aws ?? 'not available'}; rclone ${ctx.folderTools.rclone ?? 'not available'}`);
	}
	const tools = ctx.folderTools;
	const envs = toolEnvs(ctx, s3);
	const n = o.count;
	const r = `r${run}`;
	const n8n = async (wf, env, label) => {
		const out = await runN8n(ctx, [wf], env, `folders-${label}-${run}`, s3);
		return out[wf];
	};
	const tool = async (cmd, args, label) => {
		const t = await runTool(ctx, cmd, args, cmd === 'aws' ? envs.aws : envs.rclone, `folders-${label}-${run}`);
		return t.code === 0 ? { s: t.wall / 1000 } : { error: tail(t.output, 2).replace(/\s+/g, ' ').slice(0, 160) };
	};
	const record = async (key, result, checkPrefix, expected, sourcePrefix) => {
		let out = result;
		if (!out.error && checkPrefix) {
			const got = await countKeys(sdk, checkPrefix);
			if (got !== expected) out = { error: `${got} objects at the destination, not ${expected}` };
			else if (sourcePrefix && (await countKeys(sdk, sourcePrefix)) !== 0) out = { error: 'objects left at the source' };
		}
		res[key] = out;
		log(`  ${key}: ${out.error ? `FAILED: ${out.error}` : `${out.s.toFixed(2)} s (${(expected / out.s).toFixed(0)} objects/s)`}`);
	};
	const fromNode = (w) => (w.ok ? { s: w.node.executionTime / 1000, json: w.node.json0 } : { error: w.error });
	const nodeErrors = (x) => (x.json && Array.isArray(x.json.errors) && x.json.errors.length ? { error: `${x.json.errors.length} errors, e.g. ${JSON.stringify(x.json.errors[0]).slice(0, 120)}` } : x);

	// ---- copy: one source, a fresh destination per contender
	const src = 'fsrc/';
	if (!ctx.foldersSeeded) {
		log(`folders: seeding the copy source and the download folder...`);
		await seed(sdk, src, n, 4096);
		await seed(sdk, 'fdl/', o.download, 64 * 1024);
		ctx.foldersSeeded = true;
	}
	log(`run ${run + 1}: folder copy of ${n} × 4 KiB`);
	await record('folders.copy.ours', nodeErrors(fromNode(await n8n('fcopy-ours', { BENCH_SRC: src, BENCH_DST: `fcopy-ours-${r}/` }, 'copy-ours'))), `fcopy-ours-${r}/`, n);
	if (tools.aws) await record('folders.copy.aws', await tool('aws', ['s3', 'cp', '--recursive', '--only-show-errors', '--endpoint-url', s3.endpoint, `s3://${BUCKET}/${src}`, `s3://${BUCKET}/fcopy-aws-${r}/`], 'copy-aws'), `fcopy-aws-${r}/`, n);
	if (tools.rclone) await record('folders.copy.rclone', await tool('rclone', ['copy', `bench:${BUCKET}/${src}`, `bench:${BUCKET}/fcopy-rclone-${r}/`], 'copy-rclone'), `fcopy-rclone-${r}/`, n);
	for (const k of o.inFlight) {
		await record(`folders.copy.ours-${k}`, nodeErrors(fromNode(await n8n('fcopy-ours-n', { BENCH_SRC: src, BENCH_DST: `fcopy-ours-${k}-${r}/`, BENCH_IN_FLIGHT: String(k) }, `copy-ours-${k}`))), `fcopy-ours-${k}-${r}/`, n);
	}

	// ---- move: each contender moves its own folder of the same objects (seeded with PutObject first)
	log(`run ${run + 1}: folder move of ${n} × 4 KiB`);
	const movers = ['ours', ...(tools.aws ? ['aws'] : []), ...(tools.rclone ? ['rclone'] : [])];
	for (const c of movers) await seed(sdk, `fmv-${c}-${r}/`, n, 4096);
	await record('folders.move.ours', nodeErrors(fromNode(await n8n('fmove-ours', { BENCH_SRC: `fmv-ours-${r}/`, BENCH_DST: `fmoved-ours-${r}/` }, 'move-ours'))), `fmoved-ours-${r}/`, n, `fmv-ours-${r}/`);
	if (tools.aws) await record('folders.move.aws', await tool('aws', ['s3', 'mv', '--recursive', '--only-show-errors', '--endpoint-url', s3.endpoint, `s3://${BUCKET}/fmv-aws-${r}/`, `s3://${BUCKET}/fmoved-aws-${r}/`], 'move-aws'), `fmoved-aws-${r}/`, n, `fmv-aws-${r}/`);
	if (tools.rclone) await record('folders.move.rclone', await tool('rclone', ['move', `bench:${BUCKET}/fmv-rclone-${r}/`, `bench:${BUCKET}/fmoved-rclone-${r}/`], 'move-rclone'), `fmoved-rclone-${r}/`, n, `fmv-rclone-${r}/`);

	// ---- download into n8n vs aws s3 cp to a local folder
	log(`run ${run + 1}: folder download of ${o.download} × 64 KiB`);
	{
		const w = await n8n('fdown-ours', { BENCH_SRC: 'fdl/' }, 'down-ours');
		const x = fromNode(w);
		res['folders.down.ours'] = !x.error && w.node.items !== o.download ? { error: `${w.node.items} items, not ${o.download}` } : { s: x.s, error: x.error };
		log(`  folders.down.ours: ${res['folders.down.ours'].error ? `FAILED: ${res['folders.down.ours'].error}` : `${x.s.toFixed(2)} s`}`);
	}
	if (tools.aws) {
		const dir = path.join(ctx.dataDir, `fdl-aws-${r}`);
		const t = await tool('aws', ['s3', 'cp', '--recursive', '--only-show-errors', '--endpoint-url', s3.endpoint, `s3://${BUCKET}/fdl/`, dir], 'down-aws');
		let files = 0;
		if (!t.error) files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
		res['folders.down.aws'] = !t.error && files !== o.download ? { error: `${files} files, not ${o.download}` } : t;
		fs.rmSync(dir, { recursive: true, force: true });
		log(`  folders.down.aws: ${res['folders.down.aws'].error ? `FAILED: ${res['folders.down.aws'].error}` : `${t.s.toFixed(2)} s`}`);
	}

	// ---- memory: RSS growth of n8n during a big copy (every run: the table shows the median,
	// since V8 decides when to collect the garbage and single runs differ by tens of MiB)
	if (o.mem > 0) {
		log(`run ${run + 1}: memory, folder copy of ${o.mem} objects${o.memInFlight ? `, ${o.memInFlight} in flight` : ''}`);
		if (!ctx.foldersMemSeeded) {
			await seed(sdk, 'fmem/', o.mem, 16);
			ctx.foldersMemSeeded = true;
		}
		const w = o.memInFlight
			? await n8n('fcopy-ours-n', { BENCH_SRC: 'fmem/', BENCH_DST: `fmem-copy-${r}/`, BENCH_IN_FLIGHT: String(o.memInFlight) }, 'mem')
			: await n8n('fcopy-ours', { BENCH_SRC: 'fmem/', BENCH_DST: `fmem-copy-${r}/` }, 'mem');
		const x = nodeErrors(fromNode(w));
		// n8n execute-batch ends every execution after 3 minutes (ExecuteBatch.executionTimeout, not
		// configurable): the 20,000-object copy must run at > 115 objects/s to be measured
		if (x.error && /cancel/i.test(x.error)) x.error = `${x.error}: n8n execute-batch stops an execution after 3 minutes (the copy ran slower than ${(o.mem / 177).toFixed(0)} objects/s)`;
		res['folders.mem.ours'] = x.error ? { error: x.error } : { growth: w.windowPeak - w.beforePeak, peak: w.windowPeak, s: x.s };
		log(`  memory: ${x.error ? `FAILED: ${x.error}` : `RSS ${(w.beforePeak / MiB).toFixed(0)} → ${(w.windowPeak / MiB).toFixed(0)} MiB (growth ${((w.windowPeak - w.beforePeak) / MiB).toFixed(1)} MiB) in ${x.s.toFixed(1)} s`}`);
	}
}

// ---------------------------------------------------------------------------------- report
/** Markdown lines of the section (table + verdicts) from every run's `res`. */
function report(ctx, all, median) {
	const o = ctx.foldersOpts ?? parseOptions(ctx.opts.folders);
	const pick = (k, f = 's') => {
		const vals = all.map((x) => x[k]).filter(Boolean);
		const ok = vals.filter((v) => !v.error && typeof v[f] === 'number');
		if (!vals.length) return { none: true };
		if (!ok.length) return { error: vals[0].error };
		return { v: median(ok.map((v) => v[f])), failed: vals.length - ok.length };
	};
	const show = (x) => (x.none ? '—' : x.error ? `fails: ${String(x.error).replace(/\|/g, '/')}` : `${x.v.toFixed(2)} s${x.failed ? ` (${x.failed} run(s) failed)` : ''}`);
	// speed ratio: the tool's time / ours (> 1: ours faster)
	const ratio = (ours, other) => (ours.v && other.v ? other.v / ours.v : undefined);
	const fr = (x) => (x === undefined ? '—' : `${x.toFixed(2)}×`);
	const verdict = (x, min) => (x === undefined ? '–' : x >= min ? '✓' : '✗');
	const rows = [];
	const verdicts = [];
	const line = (label, what, targetAws, targetRclone) => {
		const oo = pick(`folders.${what}.ours`);
		const a = pick(`folders.${what}.aws`);
		const rc = pick(`folders.${what}.rclone`);
		const ra = ratio(oo, a);
		const rr = ratio(oo, rc);
		rows.push([label, show(oo), show(a), fr(ra), show(rc), fr(rr), [targetAws && `≥ ${targetAws}× aws`, targetRclone && `≥ ${targetRclone}× rclone`].filter(Boolean).join(', ')]);
		if (targetAws) verdicts.push(`${verdict(ra, targetAws)} ${label}: ${fr(ra)} aws's speed (target ≥ ${targetAws}×)`);
		if (targetRclone) verdicts.push(`${verdict(rr, targetRclone)} ${label}: ${fr(rr)} rclone's speed (target ≥ ${targetRclone}×)`);
	};
	line(`Folder Copy, ${o.count} × 4 KiB (s3→s3)`, 'copy', 1.0, 1.0);
	line(`Folder Move, ${o.count} × 4 KiB`, 'move', 1.0, undefined);
	line(`Folder Download, ${o.download} × 64 KiB (into n8n / to a local folder)`, 'down', 0.8, undefined);
	const mem = pick('folders.mem.ours', 'growth');
	if (!mem.none) {
		const g = mem.v === undefined ? undefined : mem.v / MiB;
		rows.push([`n8n RSS growth, Folder Copy of ${o.mem} objects`, mem.error ? `fails: ${mem.error}` : `${g.toFixed(1)} MiB`, '', '', '', '', '≤ 64 MiB']);
		verdicts.push(`${g === undefined ? '–' : g <= 64 ? '✓' : '✗'} memory growth during a ${o.mem}-object copy: ${g === undefined ? '?' : `${g.toFixed(1)} MiB`} (target ≤ 64 MiB)`);
	}
	const sweep = o.inFlight.map((k) => [k, pick(`folders.copy.ours-${k}`)]);
	const memRuns = all
		.map((x) => x['folders.mem.ours'])
		.filter(Boolean)
		.map((m) => (m.error ? 'failed' : `${(m.growth / MiB).toFixed(1)} MiB in ${m.s.toFixed(1)} s`));
	const head = ['figure', 'S3 Storage (ours)', 'aws s3 cp/mv --recursive', 'ours vs aws (speed)', 'rclone copy/move', 'ours vs rclone (speed)', 'target'];
	const esc = (s) => String(s ?? '');
	return [
		'## Folders (issue 10)',
		'',
		`- tools: ${ctx.folderTools?.aws ?? 'aws: not available'}; ${ctx.folderTools?.rclone ?? 'rclone: not available'} (their defaults: aws 10 requests at once, rclone --transfers 4 --checkers 8; one rclone remote, so copies are server-side)`,
		`- this node: Objects in Flight = its defaults (copy/move ${ctx.foldersDefaults?.copy ?? '?'}, download ${ctx.foldersDefaults?.download ?? '?'}); times are the node's executionTime; the tools' are process wall times (start-up included)`,
		'',
		`| ${head.join(' | ')} |`,
		`|${head.map(() => '---').join('|')}|`,
		...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
		'',
		...(sweep.length ? ['Folder Copy by Objects in Flight (this node): ' + sweep.map(([k, x]) => `${k}: ${show(x)}`).join('; '), ''] : []),
		...(memRuns.length
			? [`Memory run, every run (RSS growth over the process just before the node; copy time)${o.memInFlight ? `, Objects in Flight ${o.memInFlight}` : ''}: ${memRuns.join('; ')}`, '']
			: []),
		'Targets (issue 10):',
		...verdicts.map((v) => `- ${v}`),
		'',
	];
}

/** The node's defaults, read from dist/ (for the report). */
function readDefaults(root) {
	try {
		return {
			copy: require(path.join(root, 'dist', 'nodes', 'S3Storage', 'actions', 'folder', 'copy.operation.js')).DEFAULT_OBJECTS_IN_FLIGHT,
			download: require(path.join(root, 'dist', 'nodes', 'S3Storage', 'actions', 'folder', 'download.operation.js')).DEFAULT_DOWNLOADS_IN_FLIGHT,
		};
	} catch {
		return undefined;
	}
}

module.exports = { section, report, workflows, parseOptions, readDefaults };
