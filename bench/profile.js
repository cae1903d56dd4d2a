#!/usr/bin/env node
'use strict';
/*
 * Summarises a V8 CPU profile (node --cpu-prof; `npm run bench -- --cpu-prof=DIR` writes one per
 * n8n process and SDK script) over the window of the transfer: from the first to the last
 * sample whose stack holds an upload/download function (--marker), so n8n's start-up and
 * shut-down are left out.
 *
 *   node bench/profile.js FILE.cpuprofile [--marker=REGEX] [--top=N]
 *
 * Prints the window, the share of idle / GC / program time, self time per package
 * (node_modules/<pkg>, node: internals, n8n's own) and the top functions by self time.
 */
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
	process.stderr.write('usage: node bench/profile.js FILE.cpuprofile [--marker=REGEX] [--top=N]\n');
	process.exit(2);
}
const opt = (name, def) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ?? def;
const marker = new RegExp(opt('marker', 'uploadObject|uploadFileInParts|libStorageUpload|__doMultipartUpload|__doConcurrentUpload|getChunkStream|downloadTo|lengthChecked'));
const top = Number(opt('top', 25));

const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// sample times (µs since the profile's start)
const times = [];
let t = 0;
for (const d of prof.timeDeltas) times.push((t += d));

const marked = new Map();
const isMarked = (id) => {
	if (marked.has(id)) return marked.get(id);
	const n = byId.get(id);
	const p = parent.get(id);
	const v = marker.test(n.callFrame.functionName) || (p !== undefined && isMarked(p));
	marked.set(id, v);
	return v;
};
let from = -1;
let to = -1;
prof.samples.forEach((id, i) => {
	if (isMarked(id)) {
		if (from < 0) from = i;
		to = i;
	}
});
if (from < 0) {
	process.stdout.write(`no sample matches --marker=${marker.source}: the whole profile is summarised\n`);
	from = 0;
	to = prof.samples.length - 1;
}

const pkgOf = (url) => {
	if (!url) return '(V8 / native)';
	if (url.startsWith('node:')) return 'node: internals';
	const at = url.lastIndexOf('node_modules/');
	const m = at >= 0 ? /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(at)) : null;
	if (m) return m[1];
	return path.basename(url);
};
const self = new Map();
const pkgs = new Map();
const selfN = new Map();
const pkgsN = new Map();
let total = 0;
for (let i = from; i <= to; i++) {
	const dt = (times[i + 1] ?? times[i]) - times[i];
	const n = byId.get(prof.samples[i]);
	const cf = n.callFrame;
	const name = cf.functionName || '(anonymous)';
	const key = cf.url ? `${name}  ${pkgOf(cf.url)}:${cf.lineNumber + 1}` : name;
	self.set(key, (self.get(key) ?? 0) + dt);
	selfN.set(key, (selfN.get(key) ?? 0) + 1);
	const pkg = ['(idle)', '(garbage collector)', '(program)'].includes(name) ? name : pkgOf(cf.url);
	pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
	pkgsN.set(pkg, (pkgsN.get(pkg) ?? 0) + 1);
	total += dt;
}
const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
const pct = (us) => `${((100 * us) / total).toFixed(1)}%`;
const n = to - from + 1;
const share = (c) => `${((100 * c) / n).toFixed(1)}%`;
const out = [];
out.push(`${path.basename(file)}: window ${ms(times[to] - times[from])} (${to - from + 1} samples; marker /${marker.source}/)`);
// two measures: time (sample intervals; inflated where the thread was preempted on a busy
// machine) and sample counts (each sample one look at the stack; steadier when preempted)
out.push('by package: share of time, time, share of samples');
for (const [k, v] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`  ${pct(v).padStart(6)}  ${ms(v).padStart(8)}  ${share(pkgsN.get(k)).padStart(6)}  ${k}`);
out.push(`top ${top} functions by samples: share of samples, time`);
for (const [k, c] of [...selfN].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${share(c).padStart(6)}  ${ms(self.get(k)).padStart(8)}  ${k}`);
process.stdout.write(`${out.join('\n')}\n`);
