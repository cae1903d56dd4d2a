#!/usr/bin/env node
'use strict';
/*
 * `npm start`: the n8n editor with this package loaded, ready to click through.
 *
 *   npm start                    (= npm run build && node e2e/start.js)
 *   node e2e/start.js [--port=N] [--keep] [--verbose]
 *
 * Starts a local S3 server (s3rver, no signature checks) with the buckets n8n-demo (a few
 * objects), n8n-archive and team-assets, then `n8n start` on 127.0.0.1:5678 (or a free port
 * when 5678 is taken; --port=N or env N8N_DEMO_PORT to choose) with:
 *   - this package linked as a community node (.n8n/nodes/node_modules/n8n-nodes-s3-storage),
 *   - the credential "S3 Storage account" (provider Other, pointing at the local S3 server),
 *   - every workflow of examples/ imported; the webhook example published (active), so
 *     `curl -F "file=@some.pdf" <url>/webhook/s3-upload-demo` answers with a download link,
 *   - an owner account set up through n8n's REST API (POST /rest/owner/setup): the login is
 *     printed (owner@example.com / S3-Storage-demo1 unless N8N_DEMO_EMAIL / N8N_DEMO_PASSWORD).
 * Ctrl-C stops everything it started (n8n, its task runner, s3rver) and removes the work folder
 * (e2e/.work/start-<pid>-...; --keep keeps it). Each start is a fresh editor: changes made in it
 * are not kept. n8n 2.8.4 is installed in e2e/node_modules on first use (npm ci, a few minutes).
 *
 * As a module (the browser test): const { startEditor } = require('./start');
 *   const ed = await startEditor({ quiet: true });  // { url, port, email, password, s3, userFolder, api, stop }
 */

const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');

const { ROOT, WORK, PACKAGE_DIR, CRED_ID, CRED_NAME, DEFAULT_BUCKET, log, secs, tail } = h;

const OWNER = {
	email: process.env.N8N_DEMO_EMAIL || 'owner@example.com',
	password: process.env.N8N_DEMO_PASSWORD || 'S3-Storage-demo1',
	firstName: 'Demo',
	lastName: 'Owner',
};
const EXTRA_BUCKETS = ['n8n-archive', 'team-assets'];
const WEBHOOK_WORKFLOW_ID = 's3Demo06WebhookUpload';
const WEBHOOK_PATH = 's3-upload-demo';
/** The backup example reads this folder; n8n gets it as its only allowed file folder. */
const FILES_DIR = path.join(WORK, 'editor-files');
const BACKUP_FOLDER_IN_EXAMPLE = '/home/node/.n8n-files/to-back-up/';

/** Objects put into the demo bucket: something to pick, list, download and preview. */
const DEMO_OBJECTS = [
	['reports/2024/sales-q1.csv', 'text/csv', 'month,orders,revenue\n2024-01,112,3410.50\n2024-02,98,2990.00\n2024-03,131,4022.75\n'],
	['reports/2024/sales-q2.csv', 'text/csv', 'month,orders,revenue\n2024-04,120,3650.00\n2024-05,143,4410.20\n2024-06,127,3905.10\n'],
	['images/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" rx="12" fill="#ff6d5a"/><text x="32" y="41" font-size="22" text-anchor="middle" fill="#fff" font-family="sans-serif">S3</text></svg>\n'],
	['docs/readme.txt', 'text/plain', 'This bucket was filled by `npm start` (n8n-nodes-s3-storage) for trying the S3 Storage node.\n'],
	['config/settings.json', 'application/json', `${JSON.stringify({ theme: 'dark', retentionDays: 30 }, null, 2)}\n`],
	// for the trigger example's Fetch Test Event (S3 Storage Trigger on inbox/*.csv)
	['inbox/orders-2024-06.csv', 'text/csv', 'id,item,qty\n1,widget,3\n2,gadget,1\n3,gizmo,7\n'],
];
/** Files in the folder the backup example reads (when run from its Schedule Trigger). */
const BACKUP_FILES = [
	['invoice-0001.txt', 'Invoice 0001\nTotal: 120.00 EUR\n'],
	['invoice-0002.txt', 'Invoice 0002\nTotal: 75.50 EUR\n'],
	['customers.csv', 'id,name\n1,Ada\n2,Grace\n'],
];

function parseArgs(argv) {
	const o = { port: Number(process.env.N8N_DEMO_PORT || 0) || null, keep: false, verbose: false };
	for (const a of argv) {
		if (a.startsWith('--port=')) o.port = Number(a.slice(7));
		else if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--help' || a === '-h') {
			const text = fs.readFileSync(__filename, 'utf8');
			process.stdout.write(`${text.slice(text.indexOf('/*') + 2, text.indexOf('*/')).split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim()}\n`);
			process.exit(0);
		} else throw new h.UsageError(`unknown argument "${a}" (see --help)`);
	}
	if (o.port !== null && !(Number.isInteger(o.port) && o.port > 0 && o.port < 65536)) throw new h.UsageError('--port must be a TCP port number');
	return o;
}

/** The example workflows as the editor gets them (the backup example reads FILES_DIR). */
function loadWorkflows() {
	const dir = path.join(ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const text = fs.readFileSync(path.join(dir, f), 'utf8').split(BACKUP_FOLDER_IN_EXAMPLE).join(`${path.join(FILES_DIR, 'to-back-up')}/`);
			return JSON.parse(text);
		});
}

/** A small client for n8n's REST API that keeps the auth cookie. */
function restClient(baseUrl) {
	let cookie = '';
	async function api(method, urlPath, body) {
		const res = await fetch(`${baseUrl}${urlPath}`, {
			method,
			headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		const set = res.headers.getSetCookie?.() ?? [];
		const auth = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) cookie = auth;
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const err = new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 300)}`);
			err.status = res.status;
			throw err;
		}
		return json?.data !== undefined ? json.data : json;
	}
	api.cookie = () => cookie;
	return api;
}

/** Sets up n8n's owner account (POST /rest/owner/setup), retrying while the route is not registered yet (404). */
async function setupOwner(api, owner) {
	for (let tries = 0; ; tries++) {
		try {
			return await api('POST', '/rest/owner/setup', owner);
		} catch (e) {
			if (e.status !== 404 || tries >= 100) throw e;
			h.bailIfInterrupted();
			await new Promise((r) => setTimeout(r, 300));
		}
	}
}

async function waitForN8n(baseUrl, proc, timeoutMs) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
			throw new Error(`n8n exited (code ${proc.child.exitCode ?? proc.child.signalCode}) before it was ready:\n${tail(proc.output(), 30)}`);
		}
		// the REST routes are registered one after the other while the server already answers:
		// n8n prints this line when it has finished starting (workflows activated too)
		if (/Editor is now accessible via/.test(proc.output())) {
			try {
				const res = await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(3000) });
				if (res.ok) return;
			} catch {
				// not listening yet
			}
		}
		h.bailIfInterrupted();
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`n8n did not answer on ${baseUrl} within ${timeoutMs / 1000} s:\n${tail(proc.output(), 30)}`);
}

async function seedS3(s3) {
	const sdk = h.sdkFor(s3);
	try {
		for (const b of [DEFAULT_BUCKET, ...EXTRA_BUCKETS]) await sdk.ensureBucket(b);
		for (const [Key, ContentType, body] of DEMO_OBJECTS) {
			await sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket: DEFAULT_BUCKET, Key, ContentType, Body: body }));
		}
		await sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket: 'n8n-archive', Key: 'archive/2023/sales.csv', ContentType: 'text/csv', Body: 'year,revenue\n2023,41234.00\n' }));
	} finally {
		sdk.client.destroy();
	}
}

/**
 * Starts S3 + n8n and sets everything up. opts: { port, keep, verbose, quiet }
 * @returns {Promise<{ url, port, email, password, s3, userFolder, runDir, api, webhookUrl, n8n, stop }>}
 */
async function startEditor(opts = {}) {
	const started = Date.now();
	const say = opts.quiet ? () => {} : log;
	if (!fs.existsSync(path.join(PACKAGE_DIR, 'dist', 'nodes', 'S3Storage', 'S3Storage.node.js'))) {
		throw new h.UsageError('dist/ is missing: run `npm run build` first (npm start does)');
	}
	fs.mkdirSync(WORK, { recursive: true });
	await h.sweepStale();
	await h.ensureN8nInstalled(opts);

	const runDir = path.join(WORK, `start-${process.pid}-${Date.now()}`);
	const userFolder = path.join(runDir, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	h.addCleanup(async () => {
		if (opts.keep) say(`work folder kept: ${path.relative(process.cwd(), runDir) || runDir}`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	});

	say('starting the local S3 server (s3rver)...');
	const s3 = await h.startS3({ s3: 's3rver' }, runDir);
	await seedS3(s3);
	say(`  ${s3.label} at ${s3.endpoint}: buckets ${[DEFAULT_BUCKET, ...EXTRA_BUCKETS].join(', ')}; ${DEMO_OBJECTS.length} objects in ${DEFAULT_BUCKET}`);

	fs.mkdirSync(path.join(FILES_DIR, 'to-back-up'), { recursive: true });
	for (const [name, text] of BACKUP_FILES) fs.writeFileSync(path.join(FILES_DIR, 'to-back-up', name), text);

	const workflows = loadWorkflows();
	say(`preparing n8n (${workflows.length} example workflows, credential "${CRED_NAME}")...`);
	const prep = await h.prepareUserFolder(userFolder, { workflows, s3, logDir: runDir, verbose: opts.verbose });
	say(`  ${prep.how} (${secs(prep.ms)})`);
	h.bailIfInterrupted();

	let port = opts.port ?? 5678;
	if (!(await h.portFree(port))) {
		const wanted = port;
		port = await h.freePort();
		say(`  port ${wanted} is taken: using ${port}`);
	}
	const url = `http://127.0.0.1:${port}`;
	const brokerPort = await h.freePort();
	const env = h.n8nEnv(userFolder, s3, brokerPort, {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		WEBHOOK_URL: `${url}/`,
		N8N_RESTRICT_FILE_ACCESS_TO: FILES_DIR,
		N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL || 'info', // waitForN8n reads its "Editor is now accessible" line
		N8N_HIRING_BANNER_ENABLED: 'false',
	});
	say(`starting n8n ${h.n8nVersion()} on ${url}...`);
	const proc = h.startProcess(h.selectedN8n().nodeBin, [h.selectedN8n().bin, 'start'], {
		env,
		cwd: userFolder,
		logFile: path.join(runDir, 'n8n-start.log'),
		echo: opts.verbose,
		name: 'n8n start',
	});
	await waitForN8n(url, proc, 180_000);
	say(`  n8n is up (${secs(Date.now() - started)} since start)`);

	const api = restClient(url);
	await setupOwner(api, OWNER);
	// the credential was imported with {{ $env.E2E_S3_* }} expressions (shared with the e2e run's
	// cached database); give it the server's real address and keys so the editor shows them
	await api('PATCH', `/rest/credentials/${CRED_ID}`, {
		name: CRED_NAME,
		type: 's3StorageApi',
		data: h.credentialData(s3),
	});
	const wf = await api('GET', `/rest/workflows/${WEBHOOK_WORKFLOW_ID}`);
	await api('POST', `/rest/workflows/${WEBHOOK_WORKFLOW_ID}/activate`, { versionId: wf.versionId });
	const webhookUrl = `${url}/webhook/${WEBHOOK_PATH}`;
	say(`  owner account set up, credential pointed at ${s3.endpoint}, "${wf.name}" published`);

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await h.cleanupAll();
	};
	return { url, port, email: OWNER.email, password: OWNER.password, s3, userFolder, runDir, api, webhookUrl, workflows, n8n: proc, stop, ms: Date.now() - started };
}

async function main() {
	h.setLogPrefix('start');
	h.installSignalHandlers();
	const opts = parseArgs(process.argv.slice(2));
	const ed = await startEditor(opts);
	const line = '─'.repeat(72);
	const out = [
		'',
		line,
		`  n8n editor:  ${ed.url}`,
		`  login:       ${ed.email}  /  ${ed.password}`,
		'',
		`  S3 server:   ${ed.s3.endpoint}  (s3rver; access key ${ed.s3.accessKeyId}, secret ${ed.s3.secretAccessKey})`,
		`  buckets:     ${[DEFAULT_BUCKET, ...EXTRA_BUCKETS].join(', ')}`,
		`  credential:  "${CRED_NAME}" (S3 Storage API, provider Other)`,
		`  workflows:   ${ed.workflows.map((w) => w.name.replace(/^S3 Storage: /, '')).join('; ')}`,
		`  webhook:     curl -F "file=@README.md" ${ed.webhookUrl}`,
		'',
		`  Ready in ${secs(ed.ms)}. Press Ctrl-C to stop n8n and the S3 server.`,
		line,
		'',
	];
	process.stdout.write(out.join('\n'));
	const { code, signal } = await ed.n8n.exited;
	if (!h.isSignalled()) {
		log(`n8n stopped by itself (${code ?? signal}); log: ${path.relative(process.cwd(), path.join(ed.runDir, 'n8n-start.log'))}\n${tail(ed.n8n.output(), 20)}`);
		await ed.stop();
		process.exitCode = 1;
	}
}

module.exports = { startEditor, restClient, waitForN8n, setupOwner, OWNER, DEMO_OBJECTS, EXTRA_BUCKETS, WEBHOOK_WORKFLOW_ID, WEBHOOK_PATH, FILES_DIR };

if (require.main === module) {
	main().catch(async (e) => {
		if (!h.isSignalled()) process.stderr.write(`\nnpm start: ${e instanceof h.UsageError ? e.message : e.stack || e}\n`);
		await h.cleanupAll();
		process.exit(e instanceof h.UsageError ? 2 : 1);
	});
}
