#!/usr/bin/env node
/**
 * Reproduces the download "slow mode" outside n8n (bench/results.md, session 8): one full
 * garbage collection in the middle of a large download turns into a full collection every few
 * tens of MB for the rest of it, once the heap is above V8's incremental-marking threshold.
 *
 *   npm run build && node bench/gc-repro.js            the four cases below, 3 runs each
 *   node bench/gc-repro.js --mib=1024 --runs=5
 *
 * Each run is a fresh `node --expose-gc` process that serves `--mib` MiB from a local HTTP
 * server (no S3 server needed) and downloads it the way Object → Download does in n8n's
 * filesystem mode: the response through this node's `lengthChecked` (dist/, which loads
 * n8n-workflow: the heap is then above the threshold) into `fs.promises.writeFile`, with no
 * forced collection or with one `gc()` a quarter into the body. Prints the major (full)
 * collections during the body, MiB/s and the heap in use at the start. Not a test: MiB/s
 * depends on the machine, and the counts on V8's heuristics.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

if (process.argv[2] === '--child') {
	child(process.argv.slice(3)).catch((e) => {
		console.error(e);
		process.exit(1);
	});
} else main();

function main() {
	const opt = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
	const mib = Number(opt.mib ?? 512);
	const runs = Number(opt.runs ?? 3);
	const cases = [
		['no forced GC', 0],
		['one forced GC a quarter in', 1],
	];
	console.log(`Node ${process.version}: ${mib} MiB from a local HTTP server through lengthChecked into fs.promises.writeFile, ${runs} runs per case (interleaved)`);
	const results = cases.map(() => []);
	for (let r = 0; r < runs; r++) {
		cases.forEach(([, force], i) => {
			const out = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', String(mib), String(force)], { encoding: 'utf8' });
			if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
			results[i].push(JSON.parse(out.stdout.trim().split('\n').pop()));
		});
	}
	cases.forEach(([name], i) => {
		const rs = results[i];
		console.log(`${name.padEnd(28)} full GCs ${rs.map((x) => x.majors).join(', ').padEnd(16)} MiB/s ${rs.map((x) => x.mibs.toFixed(0)).join(', ').padEnd(20)} heap at start ${rs.map((x) => x.heapMiB).join(', ')} MiB`);
	});
}

async function child([mibArg, force]) {
	const fs = require('node:fs');
	const os = require('node:os');
	const http = require('node:http');
	const { PerformanceObserver, constants } = require('node:perf_hooks');
	const { lengthChecked } = require(path.join(ROOT, 'dist/nodes/shared/helpers/binary.js'));
	const total = Number(mibArg) * 1024 * 1024;
	const block = Buffer.alloc(1024 * 1024, 7);
	let majors = 0;
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
	}).observe({ entryTypes: ['gc'] });
	const server = http.createServer((req, res) => {
		res.writeHead(200, { 'content-length': total });
		let sent = 0;
		const more = () => {
			while (sent < total) {
				sent += block.length;
				if (!res.write(block)) return res.once('drain', more);
			}
			res.end();
		};
		more();
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const target = path.join(os.tmpdir(), `gc-repro-${process.pid}.bin`);
	const res = await new Promise((resolve) => http.get({ host: '127.0.0.1', port: server.address().port }, resolve));
	let seen = 0;
	let forced = force !== '1';
	res.on('data', (c) => {
		seen += c.length;
		if (!forced && seen >= total / 4) {
			forced = true;
			global.gc();
		}
	});
	const heapMiB = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
	const before = majors;
	const t0 = performance.now();
	await fs.promises.writeFile(target, lengthChecked(res, total));
	const ms = performance.now() - t0;
	await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive asynchronously
	fs.rmSync(target, { force: true });
	server.close();
	console.log(JSON.stringify({ majors: majors - before, heapMiB, mibs: total / 1024 / 1024 / (ms / 1000) }));
}
