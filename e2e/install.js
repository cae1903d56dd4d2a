#!/usr/bin/env node
'use strict';
/*
 * `npm run test:install`: installs the package the way users do, through n8n's own
 * community-package installer, from a registry.
 *
 *   node e2e/install.js [--n8n=VERSION] [--node=MAJOR] [--keep] [--verbose] [--no-scan]
 *
 * 1. The tarball: `npm pack` of this checkout (after `npm run build`); checks that it holds only
 *    dist/, README.md, LICENSE, CHANGELOG.md and package.json, that n8n-workflow is a peer
 *    dependency only, and that every file package.json's `n8n` section names is in it; reports
 *    its packed and unpacked size. A second tarball, the same with the patch version + 1, is
 *    the "newer version".
 * 2. A throw-away Verdaccio 6.8.0 (from npm; node-fetch overridden to 2.7.0) on 127.0.0.1, a
 *    free port, storage in the work folder, everything else proxied from npm's registry; the
 *    first tarball is published to it.
 * 3. n8n (e2e/package.json's, or --n8n=VERSION: see e2e/lib/versions.js) started fresh, owner
 *    account set up, then through n8n's REST API, as the editor does it:
 *      POST   /rest/community-packages {name}   (Settings -> Community Nodes -> Install)
 *      GET    /types/nodes.json                  every node of package.json's n8n.nodes is loaded
 *      POST   /rest/credentials, /rest/workflows, activate: a Webhook -> S3 Storage upload ->
 *             S3 Storage download workflow, called over HTTP, checked against the S3 server
 *      PATCH  /rest/community-packages {name}   (Update) after publishing the newer tarball;
 *             the workflow runs again on the new version
 *      DELETE /rest/community-packages?name=    (Uninstall): package folder and node types gone
 *    Reports the installed size (the package with its dependencies, as n8n installed it).
 *    n8n only lets a licensed instance set N8N_COMMUNITY_PACKAGES_REGISTRY (feature
 *    "community-nodes-custom-registry"; without a license it answers 403 to every install), so
 *    n8n keeps its default registry and the `npm` it runs is a small wrapper first on its PATH
 *    that sends npm's registry calls to the Verdaccio instead (its calls are logged and checked).
 *    Install and Update name the version (as typing name@version in the dialog does): for
 *    "latest" n8n first asks its configured registry over plain HTTP, which the wrapper cannot
 *    redirect; with a version that check goes through `npm view`.
 * 4. @n8n/scan-community-package 0.32.0 (the gate n8n runs before it verifies a package): its lint
 *    rules on the unpacked tarball and on the source (e2e/lib/scan-package.mjs says why not its
 *    CLI). Findings README's "Compatibility" explains (runtime dependencies, the author's email)
 *    or that the code explains where they are (eslint-disable-next-line with a reason) pass;
 *    anything new fails (--no-scan skips it).
 *
 * The S3 server is s3rver (no signature checks; the e2e run and the jest suite cover the rest).
 * Everything started here is stopped at the end, on error and on Ctrl-C.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');
const versions = require('./lib/versions');
const { restClient, waitForN8n, OWNER } = require('./start');

const { ROOT, WORK, PACKAGE_NAME, NODE_TYPE, log, secs, tail } = h;
const VERDACCIO = { label: 'verdaccio-6.8.0', deps: { verdaccio: '6.8.0' }, overrides: { 'node-fetch': '2.7.0' } };
const SCANNER = { label: 'scan-community-package-0.32.0', deps: { '@n8n/scan-community-package': '0.32.0' } };
const ALLOWED_TOP = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
const WEBHOOK_PATH = 's3-storage-install-test';

h.setLogPrefix('install');
h.installSignalHandlers();

function parseArgs(argv) {
	const o = { n8n: process.env.E2E_N8N || null, node: null, keep: false, verbose: false, scan: true };
	for (const a of argv) {
		if (a.startsWith('--n8n=')) o.n8n = a.slice(6);
		else if (a.startsWith('--node=')) o.node = a.slice(7);
		else if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--no-scan') o.scan = false;
		else if (a === '--help' || a === '-h') {
			const text = fs.readFileSync(__filename, 'utf8');
			process.stdout.write(`${text.slice(text.indexOf('/*') + 2, text.indexOf('*/')).split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim()}\n`);
			process.exit(0);
		} else throw new h.UsageError(`unknown argument "${a}" (see --help)`);
	}
	return o;
}

/** Collects check results. */
class Checks {
	constructor() {
		this.results = [];
	}
	ok(cond, what, detail) {
		this.results.push({ ok: !!cond, what, detail: cond ? undefined : detail });
		log(`  ${cond ? '✓' : '✗'} ${what}${cond || detail === undefined ? '' : `\n      ${String(detail).replace(/\n/g, '\n      ')}`}`);
		return !!cond;
	}
	get failed() {
		return this.results.filter((r) => !r.ok);
	}
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Apparent size (bytes) and file count of a folder tree (symlinks not followed). */
function treeSize(dir) {
	let bytes = 0;
	let files = 0;
	const stack = [dir];
	while (stack.length) {
		const d = stack.pop();
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) stack.push(p);
			else if (e.isFile()) {
				bytes += fs.statSync(p).size;
				files++;
			}
		}
	}
	return { bytes, files };
}

async function run(cmd, args, opts, what) {
	const r = await h.runCommand(cmd, args, { env: versions.cleanEnv(opts.env), cwd: opts.cwd, echo: opts.verbose, name: path.basename(cmd) });
	if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code ?? r.signal}):\n${tail(r.output)}`);
	return r.output;
}

/** npm pack of `dir` into `dest`; returns npm's --json entry ({ filename, size, unpackedSize, files, ... }). */
async function pack(dir, dest, opts) {
	const out = await run('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${dest}`], { ...opts, cwd: dir }, `npm pack in ${dir}`);
	const json = JSON.parse(out.slice(out.indexOf('[')));
	return { ...json[0], file: path.join(dest, json[0].filename) };
}

/** Checks on the tarball's content and package.json (issue: only dist/, README, LICENSE, CHANGELOG). */
function checkTarball(c, packed) {
	const paths = packed.files.map((f) => f.path);
	const stray = paths.filter((p) => !ALLOWED_TOP.some((re) => re.test(p)));
	c.ok(stray.length === 0, 'the tarball holds only dist/, README.md, LICENSE, CHANGELOG.md and package.json', `also: ${stray.join(', ')}`);
	for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md']) c.ok(paths.includes(f), `the tarball has ${f}`);
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	c.ok(!pkg.dependencies?.['n8n-workflow'] && pkg.peerDependencies?.['n8n-workflow'], 'n8n-workflow is a peer dependency only (n8n provides it)', JSON.stringify({ dependencies: pkg.dependencies, peerDependencies: pkg.peerDependencies }));
	const named = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = named.filter((f) => !paths.includes(f));
	c.ok(named.length > 0 && missing.length === 0, `every file package.json's n8n section names is in the tarball (${named.length})`, `missing: ${missing.join(', ')}`);
	return pkg;
}

/** Verdaccio on 127.0.0.1:<free port> with storage in `dir`; returns { url, publish(tarball), stop }. */
async function startVerdaccio(dir, opts) {
	const tool = await versions.ensureTool(VERDACCIO.label, VERDACCIO.deps, { overrides: VERDACCIO.overrides, verbose: opts.verbose });
	log(`  Verdaccio: ${tool.how} (${secs(tool.ms)})`);
	const port = await h.freePort();
	const url = `http://127.0.0.1:${port}`;
	const uplink = (await run('npm', ['config', 'get', 'registry'], { cwd: ROOT }, 'npm config get registry')).trim() || 'https://registry.npmjs.org/';
	fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
	const config = [
		`storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
		'auth:',
		'  htpasswd:',
		`    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
		'    max_users: 10',
		'uplinks:',
		'  npmjs:',
		`    url: ${JSON.stringify(uplink)}`,
		'    timeout: 120s',
		'packages:',
		`  '${PACKAGE_NAME}':`,
		'    access: $all',
		'    publish: $authenticated',
		'    unpublish: $authenticated',
		"  '**':",
		'    access: $all',
		'    publish: $authenticated',
		'    proxy: npmjs',
		'web:',
		'  enable: false',
		'log: { type: stdout, format: pretty, level: warn }',
		'',
	].join('\n');
	const cfg = path.join(dir, 'config.yaml');
	fs.writeFileSync(cfg, config);
	const bin = path.join(tool.dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	const proc = h.startProcess(process.execPath, [bin, '--config', cfg, '--listen', `127.0.0.1:${port}`], {
		env: versions.cleanEnv(),
		cwd: dir,
		logFile: path.join(dir, 'verdaccio.log'),
		echo: opts.verbose,
		name: 'verdaccio',
	});
	h.addCleanup(() => proc.stop(3000));
	const until = Date.now() + 60_000;
	for (;;) {
		if (proc.child.exitCode !== null) throw new Error(`Verdaccio exited:\n${tail(proc.output())}`);
		try {
			const res = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) break;
		} catch {
			// not yet
		}
		if (Date.now() > until) throw new Error(`Verdaccio did not answer on ${url} within 60 s:\n${tail(proc.output())}`);
		await new Promise((r) => setTimeout(r, 250));
	}
	// a user to publish as (Verdaccio's htpasswd auth: npm adduser's REST call)
	const password = crypto.randomBytes(12).toString('hex');
	const res = await fetch(`${url}/-/user/org.couchdb.user:e2e`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'e2e', password, type: 'user', roles: [], date: new Date().toISOString() }),
	});
	const { token } = await res.json();
	if (!token) throw new Error(`Verdaccio gave no token (HTTP ${res.status})`);
	const npmrc = path.join(dir, 'npmrc');
	fs.writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
	return {
		url,
		npmrc,
		async publish(tarball) {
			await run('npm', ['publish', tarball, `--userconfig=${npmrc}`, `--registry=${url}/`, '--ignore-scripts', '--access=public'], { cwd: dir, verbose: opts.verbose }, `npm publish ${path.basename(tarball)}`);
		},
		stop: () => proc.stop(3000),
	};
}

/**
 * The `npm` n8n runs: a wrapper that sends its registry calls to `registryUrl` (n8n passes
 * --registry=https://registry.npmjs.org unless licensed for a custom registry) and logs each call.
 */
function npmShim(dir, registryUrl) {
	const realNpm = require('node:child_process').execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
	const calls = path.join(dir, 'npm-calls.jsonl');
	fs.mkdirSync(dir, { recursive: true });
	const script = `#!/usr/bin/env node
// written by e2e/install.js: n8n's npm, with its registry calls sent to the test's Verdaccio
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2).map((a) => (a.startsWith('--registry=') ? '--registry=${registryUrl}' : a));
require('node:fs').appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }) + '\\n');
const r = spawnSync(${JSON.stringify(realNpm)}, args, { stdio: 'inherit', env: { ...process.env, npm_config_registry: '${registryUrl}' } });
process.exit(r.status === null ? 1 : r.status);
`;
	fs.writeFileSync(path.join(dir, 'npm'), script, { mode: 0o755 });
	return {
		dir,
		calls: () =>
			fs.existsSync(calls)
				? fs
						.readFileSync(calls, 'utf8')
						.trim()
						.split('\n')
						.filter(Boolean)
						.map((l) => JSON.parse(l))
				: [],
	};
}

/** The webhook workflow: Webhook -> S3 Storage upload (text) -> S3 Storage download (text). */
function workflowFor(bucket, cred) {
	const s3 = (name, position, parameters) => ({ id: crypto.randomUUID(), name, type: NODE_TYPE, typeVersion: 1, position, parameters, credentials: { s3StorageApi: cred } });
	return {
		name: 'S3 Storage install test',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
			},
			s3('Upload', [220, 0], {
				resource: 'object',
				operation: 'upload',
				bucketName: { __rl: true, value: bucket, mode: 'name' },
				key: '={{ $json.body.key }}',
				inputType: 'text',
				content: '={{ $json.body.text }}',
				options: {},
			}),
			s3('Download', [440, 0], {
				resource: 'object',
				operation: 'download',
				bucketName: { __rl: true, value: bucket, mode: 'name' },
				key: "={{ $('Upload').item.json.key }}",
				outputType: 'text',
				options: {},
			}),
		],
		connections: {
			Webhook: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
			Upload: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
		},
		settings: {},
	};
}

async function activate(api, wf) {
	try {
		await api('POST', `/rest/workflows/${wf.id}/activate`, { versionId: wf.versionId }); // n8n 2.x
	} catch (e) {
		if (e.status !== 404) throw e;
		await api('PATCH', `/rest/workflows/${wf.id}`, { active: true, versionId: wf.versionId }); // n8n 1.x
	}
}

async function callWebhook(url, body) {
	const res = await fetch(`${url}/webhook/${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json };
}

async function nodeTypes(api) {
	const types = await api('GET', '/types/nodes.json');
	return new Set((Array.isArray(types) ? types : []).map((t) => t.name));
}

/**
 * Sorts the scanner's findings: those README's "Compatibility" explains (runtime dependencies by
 * design, the author's email) and those explained where they are (an eslint-disable-next-line with
 * a reason, which the scanner ignores) pass; anything else is a failed check.
 * @returns a one-line summary
 */
function classifyScan(c, found, pkg) {
	const deps = new Set(Object.keys(pkg.dependencies ?? {}));
	const builtins = new Set(['node:http', 'node:https', 'node:stream', 'node:fs', 'node:fs/promises']);
	const accepted = (f) => {
		if (f.rule === '@n8n/community-nodes/no-restricted-imports') {
			const m = /of '([^']+)' is not allowed/.exec(f.message);
			return m && (deps.has(m[1]) || builtins.has(m[1]) || deps.has(m[1].split('/').slice(0, m[1].startsWith('@') ? 2 : 1).join('/'))) ? 'import of a runtime dependency or node:http/https/stream/fs(/promises)' : null;
		}
		if (f.rule === '@n8n/community-nodes/no-runtime-dependencies') return 'runtime dependencies';
		if (f.rule === '@n8n/community-nodes/valid-author') return 'author without email';
		if (f.disabledInline) return `explained inline (${f.rule})`;
		return null;
	};
	const parts = [];
	for (const leg of ['tarball', 'source']) {
		const list = found[leg] ?? [];
		const counts = {};
		const bad = [];
		for (const f of list) {
			const why = accepted(f);
			if (why) counts[why] = (counts[why] ?? 0) + 1;
			else bad.push(f);
		}
		c.ok(bad.length === 0, `scanner, ${leg}: no finding beyond those README's "Compatibility" explains (${list.length} findings)`, bad.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`).join('\n'));
		parts.push(`${leg} ${list.length} (${Object.entries(counts).map(([k, n]) => `${n}× ${k}`).join(', ') || 'none'}${bad.length ? `, ${bad.length} NEW` : ''})`);
	}
	return parts.join('; ');
}

let keep = false;
async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const c = new Checks();
	const timings = [];
	const phase = async (name, fn) => {
		const s = Date.now();
		try {
			return await fn();
		} finally {
			timings.push([name, Date.now() - s]);
		}
	};
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'S3Storage', 'S3Storage.node.js'))) throw new h.UsageError('dist/ is missing: run `npm run build` first (npm run test:install does)');
	fs.mkdirSync(WORK, { recursive: true });
	await h.sweepStale();
	const runDir = path.join(WORK, `install-${process.pid}-${Date.now()}`);
	fs.mkdirSync(runDir, { recursive: true });
	keep = opts.keep;
	h.addCleanup(async () => {
		if (keep) log(`work folder kept: ${path.relative(process.cwd(), runDir)}`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	});
	const sizes = {};

	// 1. the tarballs
	log('npm pack...');
	const packDir = path.join(runDir, 'pack');
	fs.mkdirSync(packDir, { recursive: true });
	const first = await phase('npm pack', () => pack(ROOT, packDir, opts));
	const pkg = checkTarball(c, first);
	sizes.packed = first.size;
	sizes.unpacked = first.unpackedSize;
	sizes.files = first.entryCount;
	log(`  ${first.filename}: ${kib(first.size)} packed, ${kib(first.unpackedSize)} unpacked, ${first.entryCount} files`);
	const nextDir = path.join(runDir, 'next');
	fs.mkdirSync(nextDir, { recursive: true });
	await run('tar', ['-xzf', first.file, '-C', nextDir], { cwd: runDir }, 'tar -x');
	const nextPkgFile = path.join(nextDir, 'package', 'package.json');
	const nextPkg = JSON.parse(fs.readFileSync(nextPkgFile, 'utf8'));
	nextPkg.version = nextPkg.version.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a, b, p) => `${a}.${b}.${Number(p) + 1}`);
	fs.writeFileSync(nextPkgFile, `${JSON.stringify(nextPkg, null, 2)}\n`);
	const second = await pack(path.join(nextDir, 'package'), packDir, opts);

	// 2. the registry
	log('starting Verdaccio...');
	const registry = await phase('Verdaccio', () => startVerdaccio(path.join(runDir, 'verdaccio'), opts));
	await registry.publish(first.file);
	log(`  ${registry.url}: published ${PACKAGE_NAME}@${first.version}`);

	// 3. n8n
	if (opts.n8n && (opts.n8n !== h.defaultN8nVersion() || opts.node)) {
		const sel = await phase(`n8n ${opts.n8n} install`, () => versions.ensureN8nVersion(opts.n8n, opts));
		log(`  n8n ${sel.version} on Node.js ${sel.nodeVersion}: ${sel.how}`);
		h.selectN8n(sel);
	}
	await h.ensureN8nInstalled(opts);
	const s3 = await h.startS3({ s3: 's3rver', bucket: 'install-test' }, runDir);
	const sdk = h.sdkFor(s3);
	h.addCleanup(async () => sdk.client.destroy());
	await sdk.ensureBucket(s3.bucket);

	const userFolder = path.join(runDir, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	const shim = npmShim(path.join(runDir, 'bin'), registry.url);
	const port = await h.freePort();
	const url = `http://127.0.0.1:${port}`;
	const env = h.n8nEnv(userFolder, null, await h.freePort(), {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		WEBHOOK_URL: `${url}/`,
		N8N_LOG_LEVEL: 'info',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // n8n v3's default is false (n8n pull request #37084)
	});
	env.PATH = `${shim.dir}${path.delimiter}${env.PATH}`;
	const sel = h.selectedN8n();
	log(`starting n8n ${h.n8nVersion()} (Node.js ${h.n8nNodeVersion()}) on ${url}...`);
	const proc = h.startProcess(sel.nodeBin, [sel.bin, 'start'], { env, cwd: userFolder, logFile: path.join(runDir, 'n8n-start.log'), echo: opts.verbose, name: 'n8n start' });
	await phase('n8n start', () => waitForN8n(url, proc, 240_000));
	const api = restClient(url);
	for (let tries = 0; ; tries++) {
		try {
			await api('POST', '/rest/owner/setup', OWNER);
			break;
		} catch (e) {
			if (e.status !== 404 || tries >= 100) throw e;
			await new Promise((r) => setTimeout(r, 300));
		}
	}
	const before = await nodeTypes(api);
	c.ok(!before.has(NODE_TYPE), `before the install n8n does not know ${NODE_TYPE}`);

	log(`Settings -> Community Nodes -> Install "${PACKAGE_NAME}" (POST /rest/community-packages)...`);
	// with the version, as when typing name@version in the dialog: without one, n8n checks that
	// "latest" exists with a plain HTTP GET to its configured (default) registry, not through npm
	const installed = await phase('install (n8n)', () => api('POST', '/rest/community-packages', { name: PACKAGE_NAME, version: first.version }));
	c.ok(installed?.installedVersion === first.version, `n8n installed ${PACKAGE_NAME}@${first.version}`, JSON.stringify(installed)?.slice(0, 400));
	const expectedNodes = (pkg.n8n?.nodes ?? []).length;
	const gotNodes = (installed?.installedNodes ?? []).map((n) => n.type);
	c.ok(gotNodes.length === expectedNodes, `n8n reports the package's ${expectedNodes} node(s) installed: ${gotNodes.join(', ')}`, JSON.stringify(installed?.installedNodes));
	const calls = shim.calls();
	c.ok(
		calls.some((x) => x.args[0] === 'pack') && calls.some((x) => x.args[0] === 'install'),
		"n8n fetched the package through npm (pack, then install of its dependencies) from the test's registry",
		JSON.stringify(calls),
	);
	const pkgDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	const size = fs.existsSync(pkgDir) ? treeSize(pkgDir) : { bytes: 0, files: 0 };
	sizes.installed = size.bytes;
	sizes.installedFiles = size.files;
	c.ok(size.bytes > 0, `the package is in ${path.relative(runDir, pkgDir)}: ${mib(size.bytes)} in ${size.files} files with its dependencies`);
	const types = await nodeTypes(api);
	const ourTypes = [...types].filter((t) => t.startsWith(`${PACKAGE_NAME}.`));
	const unlisted = [NODE_TYPE, ...gotNodes].filter((t) => !types.has(t));
	c.ok(gotNodes.length > 0 && unlisted.length === 0, `GET /types/nodes.json (signed in) lists ${ourTypes.join(', ')}`, `missing: ${unlisted.join(', ')}; got ${ourTypes.join(', ') || 'none'}`);

	log('credential + webhook workflow through the REST API, then the webhook called...');
	const cred = await api('POST', '/rest/credentials', {
		name: 'S3 Storage (install test)',
		type: 's3StorageApi',
		data: { provider: 'other', endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, region: s3.region, forcePathStyle: true, ignoreSslIssues: false },
	});
	const wf = await api('POST', '/rest/workflows', { ...workflowFor(s3.bucket, { id: cred.id, name: cred.name }), active: false });
	await activate(api, wf);
	const runOnce = async (label) => {
		const key = `install-test/${label}.txt`;
		const text = `written by n8n through ${PACKAGE_NAME} (${label})`;
		// n8n 2.41 registers the webhook of a just-activated workflow a moment after answering
		let r = await callWebhook(url, { key, text });
		for (let i = 0; i < 60 && r.status === 404 && /not registered/.test(r.text); i++) {
			await new Promise((res) => setTimeout(res, 500));
			r = await callWebhook(url, { key, text });
		}
		c.ok(r.status === 200 && r.json?.data === text && r.json?.key === key, `${label}: the webhook workflow uploaded and downloaded ${key} (HTTP ${r.status})`, r.text.slice(0, 400));
		const stored = await sdk.text(s3.bucket, key).catch((e) => `(${e.name})`);
		c.ok(stored === text, `${label}: the S3 server has what the workflow wrote`, stored);
	};
	await phase('workflow run', () => runOnce(`v${first.version}`));

	log(`publishing ${PACKAGE_NAME}@${second.version}, then Update (PATCH /rest/community-packages)...`);
	await registry.publish(second.file);
	const updated = await phase('update (n8n)', () => api('PATCH', '/rest/community-packages', { name: PACKAGE_NAME, version: second.version }));
	c.ok(updated?.installedVersion === second.version, `n8n updated the package to ${second.version}`, JSON.stringify(updated)?.slice(0, 400));
	const onDisk = fs.existsSync(path.join(pkgDir, 'package.json')) ? JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version : null;
	c.ok(onDisk === second.version, `the package folder holds ${second.version}`, `found ${onDisk}`);
	await runOnce(`v${second.version}`);

	log('Uninstall (DELETE /rest/community-packages)...');
	await phase('uninstall (n8n)', () => api('DELETE', `/rest/community-packages?name=${encodeURIComponent(PACKAGE_NAME)}`));
	const left = await api('GET', '/rest/community-packages');
	c.ok(Array.isArray(left) && !left.some((p) => p.packageName === PACKAGE_NAME), 'n8n lists no installed package afterwards', JSON.stringify(left));
	c.ok(!fs.existsSync(pkgDir), 'the package folder is gone');
	const afterTypes = await nodeTypes(api);
	c.ok(![...afterTypes].some((t) => t.startsWith(`${PACKAGE_NAME}.`)), `GET /types/nodes.json no longer lists the package's nodes`);
	const fatal = /Error loading package|Unhandled|FATAL/i.exec(proc.output());
	c.ok(!fatal, "n8n's log has no package loading errors", fatal ? tail(proc.output().slice(Math.max(0, fatal.index - 500), fatal.index + 1000), 20) : undefined);
	await proc.stop(5000);

	// 4. the scanner
	let scanSummary = 'not run (--no-scan)';
	if (opts.scan) {
		log('@n8n/scan-community-package: its lint rules on the tarball and on the source...');
		const tool = await versions.ensureTool(SCANNER.label, SCANNER.deps, { verbose: opts.verbose, ignoreScripts: true }); // eslint-plugin-n8n-nodes-base's preinstall: npx only-allow pnpm
		const scannerFile = path.join(tool.dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
		const unpacked = path.join(runDir, 'unpacked');
		fs.mkdirSync(unpacked, { recursive: true });
		await run('tar', ['-xzf', first.file, '-C', unpacked], { cwd: runDir }, 'tar -x');
		const r = await phase('scan', () => h.runCommand(process.execPath, [path.join(__dirname, 'lib', 'scan-package.mjs'), scannerFile, path.join(unpacked, 'package'), ROOT], { env: versions.cleanEnv(), cwd: runDir, name: 'scan' }));
		let found = null;
		try {
			found = JSON.parse(r.output.trim().split('\n').pop());
		} catch {
			// reported below
		}
		if (c.ok(r.code === 0 && found, 'the scanner ran', tail(r.output, 30))) {
			fs.writeFileSync(path.join(runDir, 'scan.json'), JSON.stringify(found, null, 2));
			scanSummary = classifyScan(c, found, pkg);
		}
	}

	const failed = c.failed;
	if (failed.length) keep = true;
	const out = [
		'',
		`Install test: n8n ${h.n8nVersion()} on Node.js ${h.n8nNodeVersion()}, registry Verdaccio 6.8.0 at ${registry.url}`,
		`Tarball ${first.filename}: ${kib(sizes.packed)} packed (${sizes.packed} B), ${kib(sizes.unpacked)} unpacked (${sizes.unpacked} B), ${sizes.files} files; installed by n8n with its dependencies: ${mib(sizes.installed)} (${sizes.installed} B) in ${sizes.installedFiles} files`,
		`Scanner (@n8n/scan-community-package 0.32.0 rules): ${scanSummary}`,
		`Timings: ${timings.map(([n, ms]) => `${n} ${secs(ms)}`).join(', ')}; total ${secs(Date.now() - h.startedAt())}`,
		failed.length ? `INSTALL TEST FAILED: ${failed.length} of ${c.results.length} checks failed:\n${failed.map((f) => `  ✗ ${f.what}${f.detail ? `\n      ${String(f.detail).replace(/\n/g, '\n      ')}` : ''}`).join('\n')}` : `INSTALL TEST OK: all ${c.results.length} checks passed.`,
	];
	fs.writeFileSync(path.join(WORK, 'install-sizes.json'), `${JSON.stringify({ version: first.version, n8n: h.n8nVersion(), node: h.n8nNodeVersion(), ...sizes }, null, 2)}\n`);
	process.stdout.write(`${out.join('\n')}\n`);
	return failed.length ? 1 : 0;
}

main()
	.then(async (code) => {
		await h.cleanupAll();
		process.exitCode = code;
	})
	.catch(async (e) => {
		if (!(e instanceof h.UsageError)) keep = true;
		if (!h.isSignalled()) process.stderr.write(`\ninstall test: ${e instanceof h.UsageError ? e.message : e.stack || e}\n`);
		await h.cleanupAll();
		process.exitCode = e instanceof h.UsageError ? 2 : 1;
	});
