'use strict';
/*
 * The trigger section of `npm run bench` (bench/run.js --sections=trigger, or
 * `node bench/trigger.js [--objects=100000] [--runs=3] [--keep] [--verbose]` on its own).
 *
 * Against its own throw-away Ceph RGW (memstore), with N objects (default 100,000) under one
 * prefix, it measures, interleaved run by run in this one Node.js process:
 *   - sdk:       a plain AWS SDK v3 paginator (paginateListObjectsV2, 1000 keys a page) over the prefix;
 *   - quiet:     a poll of the S3 Storage Trigger (dist/, called through a minimal poll context) that
 *                finds nothing new, the objects settled (older than the look-back window);
 *   - recent:    the same poll while every object is still inside the look-back window (right after
 *                they were written: the state then holds one fingerprint per object);
 *   - ordered:   the quiet poll with keysInTimeOrder (one request whatever the prefix size).
 * Time of a poll = the poll() call, its S3 client's creation included (the paginator's client is
 * made inside its timing too). Requests = ListObjectsV2 requests the poll logged.
 * State sizes: JSON bytes of the trigger's static data, for the settled and the recent prefix,
 * and during a steady inflow scaled from "1,000 objects an hour with the default 60-minute
 * window" to "1,000 objects a minute with a 1-minute window" (the state holds the objects written
 * inside one window: the same count), polled every 2 s for 3 minutes.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('../e2e/lib/harness');

const { log, secs } = h;
const ROOT = h.ROOT;
const BUCKET = 'bench-trigger';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** A minimal n8n poll context around the built trigger (dist/). */
function pollerFor(s3, params) {
	const { S3StorageTrigger } = require(path.join(ROOT, 'dist', 'nodes', 'S3StorageTrigger', 'S3StorageTrigger.node.js'));
	const trigger = new S3StorageTrigger();
	let stored = '{}';
	const credentials = h.credentialData(s3);
	return {
		get stateBytes() {
			return Buffer.byteLength(stored);
		},
		/** one poll; returns { ms, items, listRequests } */
		async poll() {
			const staticData = JSON.parse(stored);
			let meta = {};
			const ctx = {
				getNode: () => ({ id: 'bench', name: 'S3 Storage Trigger', type: 'n8n-nodes-s3-storage.s3StorageTrigger', typeVersion: 1, position: [0, 0], parameters: params }),
				getMode: () => 'trigger',
				getActivationMode: () => 'init',
				getNodeParameter: (name, fallback, o) => {
					const v = params[name];
					if (v === undefined) return fallback;
					return o?.extractValue && v && v.__rl ? v.value : v;
				},
				getCredentials: async () => credentials,
				getWorkflowStaticData: () => staticData,
				logger: { debug: (m, x) => m.startsWith('S3 Storage Trigger') && (meta = x ?? {}), info() {}, warn() {}, error() {}, verbose() {} },
				helpers: {},
			};
			const t = process.hrtime.bigint();
			const out = await trigger.poll.call(ctx);
			const ms = Number(process.hrtime.bigint() - t) / 1e6;
			stored = JSON.stringify(staticData); // as if every poll's state were saved
			return { ms, items: out?.[0]?.length ?? 0, listRequests: meta.listRequests };
		},
	};
}

async function sdkList(s3, prefix) {
	const { S3Client, paginateListObjectsV2 } = require(require.resolve('@aws-sdk/client-s3', { paths: [ROOT] }));
	const t = process.hrtime.bigint();
	const client = new S3Client({
		endpoint: s3.endpoint,
		region: s3.region,
		forcePathStyle: true,
		credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
	let keys = 0;
	let requests = 0;
	for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: BUCKET, Prefix: prefix })) {
		keys += page.Contents?.length ?? 0;
		requests++;
	}
	const ms = Number(process.hrtime.bigint() - t) / 1e6;
	client.destroy();
	return { ms, keys, requests };
}

async function seed(sdk, prefix, count, concurrency = 64) {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const i = next++;
				// keys in write order (dated names), so keysInTimeOrder applies
				await sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket: BUCKET, Key: `${prefix}${String(i).padStart(7, '0')}.json`, Body: '{}' }));
			}
		}),
	);
}

/**
 * Runs the section. opts: { objects, runs, runDir, keep, verbose }
 * @returns {Promise<string>} the report's markdown
 */
async function triggerSection(opts) {
	const objects = opts.objects ?? 100_000;
	const runs = opts.runs ?? 3;
	const s3 = await h.startS3({ s3: 'rgw', osdStore: 'memstore', storeGb: 8, keep: opts.keep, verbose: opts.verbose, bucket: BUCKET }, opts.runDir);
	const sdk = h.sdkFor(s3);
	try {
		await sdk.ensureBucket(BUCKET);
		log(`trigger: seeding ${objects} objects under big/ ...`);
		let t = Date.now();
		await seed(sdk, 'big/', objects);
		log(`  ${secs(Date.now() - t)}`);
		t = Date.now();
		const params = (options) => ({ bucketName: { __rl: true, value: BUCKET, mode: 'name' }, prefix: 'big/', event: 'objectCreated', options });
		// recent: the default 60-minute window holds every object just written
		const recent = pollerFor(s3, params({}));
		await recent.poll();
		const recentState = recent.stateBytes;
		log(`  state with all ${objects} objects inside the window: ${recentState} bytes`);
		// settled: a 1-minute window, once the objects are older than that
		const wait = 61_000 - (Date.now() - t);
		if (wait > 0) {
			log(`trigger: waiting ${secs(wait)} for the objects to leave a 1-minute window...`);
			await sleep(wait);
		}
		const quiet = pollerFor(s3, params({ lookBackMinutes: 1 }));
		await quiet.poll();
		const ordered = pollerFor(s3, params({ lookBackMinutes: 1, keysInTimeOrder: true }));
		await ordered.poll();
		const settledState = quiet.stateBytes;
		log(`  state of the settled prefix: ${settledState} bytes (keysInTimeOrder: ${ordered.stateBytes})`);

		const res = { sdk: [], quiet: [], recent: [], ordered: [] };
		const loads = [];
		for (let run = 0; run < runs; run++) {
			for (const [name, fn] of [
				['sdk', () => sdkList(s3, 'big/')],
				['quiet', () => quiet.poll()],
				['recent', () => recent.poll()],
				['ordered', () => ordered.poll()],
			]) {
				loads.push(os.loadavg()[0]);
				const cpu0 = process.cpuUsage();
				const r = await fn();
				const cpu = process.cpuUsage(cpu0);
				r.cpuMs = (cpu.user + cpu.system) / 1000;
				if (name !== 'sdk' && r.items !== 0) throw new Error(`the ${name} poll emitted ${r.items} objects; nothing was new`);
				res[name].push(r);
				log(`  run ${run + 1} ${name}: ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms), ${r.requests ?? r.listRequests} requests`);
			}
		}

		log('trigger: steady inflow, 1,000 objects a minute, 1-minute window, a poll every 2 s for 3 minutes...');
		const inflow = pollerFor(s3, { ...params({ lookBackMinutes: 1, maxObjectsPerPoll: 1000 }), prefix: 'inflow/' });
		await inflow.poll();
		let written = 0;
		let emitted = 0;
		let maxState = 0;
		let stop = false;
		const writer = (async () => {
			const start = Date.now();
			while (!stop) {
				const due = Math.floor(((Date.now() - start) / 60_000) * 1000);
				while (written < due) {
					const i = written++;
					await sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket: BUCKET, Key: `inflow/${String(i).padStart(6, '0')}`, Body: 'x' }));
				}
				await sleep(50);
			}
		})();
		const until = Date.now() + 180_000;
		const states = [];
		while (Date.now() < until) {
			const r = await inflow.poll();
			emitted += r.items;
			states.push(inflow.stateBytes);
			maxState = Math.max(maxState, inflow.stateBytes);
			await sleep(2000);
		}
		stop = true;
		await writer;
		await sleep(1500);
		for (let i = 0; i < 5; i++) emitted += (await inflow.poll()).items;
		const steady = median(states.slice(Math.floor(states.length / 2)));

		const m = (name) => median(res[name].map((r) => r.ms));
		const ratio = (name) => (m(name) / m('sdk')).toFixed(2);
		const cpu = (name) => median(res[name].map((r) => r.cpuMs));
		const cpuRatio = (name) => (cpu(name) / cpu('sdk')).toFixed(2);
		const req = (name) => res[name][0].requests ?? res[name][0].listRequests;
		const lines = [
			`## Trigger: polls of a ${objects.toLocaleString('en-US')}-object prefix with nothing new (median of ${runs}, interleaved; load average ${loads.map((l) => l.toFixed(2)).join(' ')})`,
			'',
			'| contender | ms | × SDK paginator | CPU ms (this process) | × SDK CPU | ListObjectsV2 requests |',
			'|---|---:|---:|---:|---:|---:|',
			`| plain SDK paginator (paginateListObjectsV2) | ${m('sdk').toFixed(0)} | 1.00 | ${cpu('sdk').toFixed(0)} | 1.00 | ${req('sdk')} |`,
			`| trigger poll, objects settled (older than the window) | ${m('quiet').toFixed(0)} | ${ratio('quiet')} | ${cpu('quiet').toFixed(0)} | ${cpuRatio('quiet')} | ${req('quiet')} |`,
			`| trigger poll, every object inside the window | ${m('recent').toFixed(0)} | ${ratio('recent')} | ${cpu('recent').toFixed(0)} | ${cpuRatio('recent')} | ${req('recent')} |`,
			`| trigger poll with keysInTimeOrder | ${m('ordered').toFixed(1)} | ${ratio('ordered')} | ${cpu('ordered').toFixed(1)} | ${cpuRatio('ordered')} | ${req('ordered')} |`,
			'',
			`State (the trigger's static data, JSON): ${settledState} bytes for the settled ${objects.toLocaleString('en-US')}-object prefix` +
				` (${ordered.stateBytes} with keysInTimeOrder); ${recentState.toLocaleString('en-US')} bytes while all of them are inside the look-back window` +
				` (one 10-character fingerprint each, gone once the window has passed them).`,
			`Steady inflow of 1,000 objects per window (the default 60-minute window at 1,000 objects an hour, run here as 1,000 a minute with a 1-minute window): ` +
				`state ${steady.toLocaleString('en-US')} bytes (median of the second half of the polls; largest ${maxState.toLocaleString('en-US')}); ${written} objects written, ${emitted} emitted.`,
			'Time of a poll: the poll() call in this process, client creation included; the paginator makes its client inside its timing too.',
		];
		if (emitted !== written) lines.push(`WARNING: ${written} written but ${emitted} emitted`);
		return lines.join('\n');
	} finally {
		sdk.client.destroy();
	}
}

module.exports = { triggerSection };

if (require.main === module) {
	h.setLogPrefix('bench');
	h.installSignalHandlers();
	const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
	const runDir = path.join(h.WORK, `bench-trigger-${process.pid}`);
	fs.mkdirSync(runDir, { recursive: true });
	triggerSection({ objects: args.objects ? Number(args.objects) : undefined, runs: args.runs ? Number(args.runs) : undefined, runDir, keep: 'keep' in args, verbose: 'verbose' in args })
		.then(async (md) => {
			process.stdout.write(`\n${md}\n`);
			await h.cleanupAll();
			if (!('keep' in args)) fs.rmSync(runDir, { recursive: true, force: true });
		})
		.catch(async (e) => {
			process.stderr.write(`${e.stack}\n`);
			await h.cleanupAll();
			process.exitCode = 1;
		});
}
