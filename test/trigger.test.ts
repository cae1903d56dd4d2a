/**
 * S3 Storage Trigger against the test server (Ceph RGW), through a poll context whose static
 * data is stored between polls the way n8n stores it (test/helpers/pollContext.ts).
 */
import {
	CompleteMultipartUploadCommand,
	CreateMultipartUploadCommand,
	UploadPartCommand,
} from '@aws-sdk/client-s3';

import { PollPlan, fingerprint, stateSize, type ListedObject, type TriggerState } from '../nodes/S3StorageTrigger/state';
import { readBinary } from './helpers/context';
import { FaultProxy } from './helpers/faultProxy';
import { rl } from './helpers/node';
import { TriggerHarness, listRequests, type PollResult } from './helpers/pollContext';
import { putObject, randomBuffer, rawClient, sha256, testConfig, testCredentials, uniqueBucket, uniqueBucketName } from './helpers/s3';

let bucket: string;
let n = 0;
/** a fresh prefix per test, so tests share one bucket without seeing each other's objects */
const freshPrefix = (name: string) => `${name}-${++n}/`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keysOf = (r: PollResult) => r.items.map((i) => i.json.key as string);

beforeAll(async () => {
	bucket = await uniqueBucket('trig');
});

async function putMany(prefix: string, names: string[], concurrency = 16): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < names.length) {
				const name = names[next++];
				await putObject(bucket, prefix + name, `content of ${name}`);
			}
		}),
	);
}

/** Polls until a poll emits nothing; returns every emitted key in order. */
async function drain(h: TriggerHarness, max = 50): Promise<string[]> {
	const all: string[] = [];
	for (let i = 0; i < max; i++) {
		const r = await h.poll();
		if (!r.items.length) return all;
		all.push(...keysOf(r));
	}
	throw new Error('the trigger kept emitting');
}

describe('S3 Storage Trigger: no replay', () => {
	it('records what exists on activation, emits nothing, and does not replay after re-activation or a restart', async () => {
		const prefix = freshPrefix('noreplay');
		await putMany(prefix, ['a.txt', 'b.txt', 'c.txt', 'sub/d.txt']);
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix });
		const first = await h.poll({ activation: true });
		expect(first.raw).toBeNull();
		expect(h.staticData.s3Trigger).toBeDefined();
		// the same state again (a restart reloads it from the database; a re-activation keeps it)
		expect((await h.poll({ activation: true })).raw).toBeNull();
		expect((await h.poll()).raw).toBeNull();
		await putObject(bucket, `${prefix}new.txt`, 'new');
		expect(keysOf(await h.poll({ activation: true }))).toEqual([`${prefix}new.txt`]);
		expect((await h.poll()).raw).toBeNull();
	});

	it('emits what exists with emitExisting, oldest first, then nothing twice', async () => {
		const prefix = freshPrefix('existing');
		for (const k of ['z-first', 'a-second', 'm-third']) {
			await putObject(bucket, prefix + k, k);
			await sleep(1100); // distinct LastModified seconds
		}
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { emitExisting: true } });
		const r = await h.poll({ activation: true });
		expect(keysOf(r)).toEqual(['z-first', 'a-second', 'm-third'].map((k) => prefix + k));
		expect((await h.poll()).raw).toBeNull();
	});
});

describe('S3 Storage Trigger: exactly once', () => {
	it('emits each new object and each object written again once, with the interface fields', async () => {
		const prefix = freshPrefix('once');
		await putObject(bucket, `${prefix}old.txt`, 'old');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix });
		await h.poll({ activation: true });
		const put = await putObject(bucket, `${prefix}one.csv`, 'a,b\n1,2\n');
		const r = await h.poll();
		expect(r.items).toHaveLength(1);
		const json = r.items[0].json;
		expect(json).toMatchObject({ event: 'objectCreated', bucket, key: `${prefix}one.csv`, size: 8, etag: put.ETag!.replace(/"/g, '') });
		expect(new Date(json.lastModified as string).toISOString()).toBe(json.lastModified);
		expect(typeof json.storageClass).toBe('string');
		expect(r.items[0].binary).toBeUndefined();
		expect((await h.poll()).raw).toBeNull();

		// written again with new content: a new ETag, emitted once
		await sleep(1100);
		const again = await putObject(bucket, `${prefix}one.csv`, 'a,b\n3,4\n5,6\n');
		const r2 = await h.poll();
		expect(keysOf(r2)).toEqual([`${prefix}one.csv`]);
		expect(r2.items[0].json.etag).toBe(again.ETag!.replace(/"/g, ''));
		expect((await h.poll()).raw).toBeNull();
		// the object there before activation, written again, is an event too
		await putObject(bucket, `${prefix}old.txt`, 'old, changed');
		expect(keysOf(await h.poll())).toEqual([`${prefix}old.txt`]);
	});

	it('emits objects written while the workflow was off or n8n was down in the next poll', async () => {
		const prefix = freshPrefix('down');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix });
		await h.poll({ activation: true });
		await putObject(bucket, `${prefix}before.txt`, 'x');
		expect(keysOf(await h.poll())).toEqual([`${prefix}before.txt`]);
		// "n8n down": no polls while 20 objects arrive; the state comes back from the database
		const names = Array.from({ length: 20 }, (_, i) => `while-down-${String(i).padStart(2, '0')}.txt`);
		await putMany(prefix, names);
		const restarted = new TriggerHarness(h.params);
		restarted.stored = h.stored;
		const r = await restarted.poll({ activation: true });
		expect(keysOf(r).sort()).toEqual(names.map((k) => prefix + k));
		expect((await restarted.poll()).raw).toBeNull();
	});

	it('emits 1,000 objects written during 10 polls each exactly once', async () => {
		const prefix = freshPrefix('thousand');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { maxObjectsPerPoll: 1000 } });
		await h.poll({ activation: true });
		const written: string[] = [];
		const emitted: string[] = [];
		let writing = true;
		// a writer that keeps going while the polls run (writes land during listings too)
		const writer = (async () => {
			for (let burst = 0; burst < 10; burst++) {
				const names = Array.from({ length: 100 }, (_, i) => `b${burst}-${String(i).padStart(3, '0')}.bin`);
				await putMany(prefix, names, 8);
				written.push(...names.map((k) => prefix + k));
				await sleep(150);
			}
			writing = false;
		})();
		let polls = 0;
		while (writing || polls < 10) {
			emitted.push(...keysOf(await h.poll()));
			polls++;
			await sleep(200);
		}
		await writer;
		emitted.push(...(await drain(h)));
		expect(written).toHaveLength(1000);
		expect(new Set(emitted).size).toBe(emitted.length); // none twice
		expect([...emitted].sort()).toEqual([...written].sort()); // none missed
		expect(polls).toBeGreaterThanOrEqual(10);
	}, 300_000);

	it('skips a poll that starts while the previous one still runs (no object emitted twice)', async () => {
		const prefix = freshPrefix('overlap');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { maxObjectsPerPoll: 1000 } }, true, true);
		await h.poll({ activation: true });
		const names = Array.from({ length: 300 }, (_, i) => `o${String(i).padStart(3, '0')}.txt`);
		await putMany(prefix, names);
		// n8n starts the next poll at its poll time even when the last one has not finished
		const [a, b] = await Promise.all([h.poll(), h.poll()]);
		const emitted = [...keysOf(a), ...keysOf(b)];
		expect([a, b].filter((r) => r.raw === null)).toHaveLength(1);
		expect([...a.logs, ...b.logs].some((l) => l.level === 'warn' && /previous poll is still running/.test(l.message))).toBe(true);
		expect(emitted.sort()).toEqual(names.map((k) => prefix + k));
		expect((await h.poll()).raw).toBeNull();
	});

	it('counts a key written again with the same bytes as a new write (S3 ObjectCreated semantics)', async () => {
		const prefix = freshPrefix('same');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix });
		await h.poll({ activation: true });
		await putObject(bucket, `${prefix}s.txt`, 'same');
		expect(keysOf(await h.poll())).toHaveLength(1);
		await sleep(1100);
		await putObject(bucket, `${prefix}s.txt`, 'same');
		expect(keysOf(await h.poll())).toEqual([`${prefix}s.txt`]);
	});
});

describe('S3 Storage Trigger: late timestamps', () => {
	it('emits a multipart upload started before poll N and completed after it', async () => {
		const prefix = freshPrefix('multipart');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix });
		await h.poll({ activation: true });
		const key = `${prefix}video.mp4`;
		const s3 = rawClient();
		const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
		const part = randomBuffer(5 * 1024 * 1024, 7);
		const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: part }));
		await sleep(1500);
		expect((await h.poll()).raw).toBeNull(); // poll N: the upload is not complete
		await sleep(1100);
		const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: Buffer.from('tail') }));
		await s3.send(
			new CompleteMultipartUploadCommand({
				Bucket: bucket,
				Key: key,
				UploadId,
				MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
			}),
		);
		const r = await h.poll();
		expect(keysOf(r)).toEqual([key]);
		expect(r.items[0].json.size).toBe(part.length + 4);
		expect((await h.poll()).raw).toBeNull();
	});

	/**
	 * The server's clock at poll N runs `shiftMs` ahead (a proxy rewrites the Date header), so an
	 * object written after poll N has a LastModified older than poll N: exactly what AWS reports
	 * for a multipart upload that took that long, or a server whose nodes' clocks differ.
	 */
	async function lateObject(lookBackMinutes: number, shiftMs: number): Promise<string[]> {
		const prefix = freshPrefix('late');
		const proxy = await FaultProxy.start(testConfig().endpoint);
		try {
			const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { lookBackMinutes } });
			await h.poll({ activation: true });
			proxy.addRule({
				action: {
					kind: 'rewriteResponseHeaders',
					rewrite: (headers) => {
						headers.date = new Date(Date.parse(String(headers.date)) + shiftMs).toUTCString();
					},
				},
			});
			await putObject(bucket, `${prefix}early.txt`, 'e');
			const viaProxy = testCredentials({ endpoint: proxy.endpoint });
			expect(keysOf(await h.poll({ credentials: viaProxy }))).toEqual([`${prefix}early.txt`]);
			expect(proxy.count()).toBeGreaterThan(0);
			proxy.reset();
			await putObject(bucket, `${prefix}late.txt`, 'l'); // LastModified ≈ shiftMs before poll N's clock
			const r = await h.poll();
			return keysOf(r);
		} finally {
			await proxy.close();
		}
	}

	it('emits an object whose LastModified is older than the previous poll, within the look-back window', async () => {
		expect(await lateObject(60, 10 * 60_000)).toEqual([expect.stringMatching(/late\.txt$/)]);
	});

	it('does not emit one older than the window (the documented limit)', async () => {
		expect(await lateObject(5, 10 * 60_000)).toEqual([]);
	});
});

describe('S3 Storage Trigger: bounded work and state', () => {
	it('emits at most maxObjectsPerPoll, oldest first, the rest in later polls without loss', async () => {
		const prefix = freshPrefix('capped');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { maxObjectsPerPoll: 10 } });
		await h.poll({ activation: true });
		const names: string[] = [];
		for (let s = 0; s < 3; s++) {
			const batch = Array.from({ length: 9 }, (_, i) => `s${s}-${'zyxwvutsr'[i]}.txt`);
			await putMany(prefix, batch, 9);
			names.push(...batch);
			await sleep(1100);
		}
		const polls: PollResult[] = [];
		for (let i = 0; i < 4; i++) polls.push(await h.poll());
		expect(polls.map((p) => p.items.length)).toEqual([10, 10, 7, 0]);
		const emitted = polls.flatMap(keysOf);
		expect([...emitted].sort()).toEqual(names.map((k) => prefix + k).sort());
		const times = polls.flatMap((p) => p.items.map((i) => Date.parse(i.json.lastModified as string)));
		expect(times).toEqual([...times].sort((a, b) => a - b)); // oldest first across polls
		// the second burst (s1-*) is all emitted before any of the third (s2-*)
		expect(emitted.slice(0, 9).every((k) => k.includes('/s0-'))).toBe(true);
	});

	it('with keysInTimeOrder, a poll with nothing new sends one ListObjectsV2 request for 2,500 objects', async () => {
		const prefix = freshPrefix('ordered');
		const names = Array.from({ length: 2500 }, (_, i) => `2026-11-29T${String(i).padStart(6, '0')}.json`);
		await putMany(prefix, names, 32);
		await sleep(1100); // the objects' second is over (the server's Date header has whole seconds)
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { keysInTimeOrder: true, lookBackMinutes: 0 } });
		const first = await h.poll({ activation: true });
		expect(listRequests(first)).toBe(3);
		const quiet = await h.poll({ activation: true });
		expect(quiet.raw).toBeNull();
		expect(listRequests(quiet)).toBe(1);
		await putObject(bucket, `${prefix}2026-11-29T999999.json`, '{}');
		const next = await h.poll();
		expect(keysOf(next)).toEqual([`${prefix}2026-11-29T999999.json`]);
		expect(listRequests(next)).toBe(1);
		// without keysInTimeOrder the same quiet poll lists the whole prefix
		const plain = new TriggerHarness({ bucketName: rl(bucket), prefix });
		await plain.poll({ activation: true });
		expect(listRequests(await plain.poll())).toBe(3);
	}, 300_000);

	it('keeps a small state: nothing per pre-existing object outside the window, one fingerprint per recent write', async () => {
		// the bookkeeping alone (no server needed): 100,000 objects and a steady inflow
		const settings = { window: 60 * 60_000, maxObjects: 100, matches: () => true, keysInTimeOrder: false };
		const day = 24 * 3600_000;
		const now = Date.UTC(2026, 10, 29, 12);
		const old: ListedObject[] = Array.from({ length: 100_000 }, (_, i) => ({
			key: `archive/${String(i).padStart(6, '0')}.pdf`,
			etag: fingerprint({ key: String(i), etag: '', lastModified: 0 }),
			lastModified: now - 30 * day + i * 1000,
			size: 1000,
		}));
		const baseline = new PollPlan(undefined, settings, true);
		baseline.setServerTime(now);
		for (const o of old) baseline.add(o);
		let state: TriggerState = baseline.finish('b\narchive/').state;
		expect(stateSize(state)).toBeLessThan(200);

		// 1,000 objects an hour for 3 hours, one poll a minute
		let emitted = 0;
		let maxSize = 0;
		for (let minute = 1; minute <= 180; minute++) {
			const t = now + minute * 60_000;
			const plan = new PollPlan(state, settings, false);
			plan.setServerTime(t);
			for (const o of old) plan.add(o);
			for (let j = 0; j < (minute * 1000) / 60; j++) {
				plan.add({ key: `in/${j}`, etag: `e${j}`, lastModified: now + j * 3600, size: 1 });
			}
			const out = plan.finish('b\narchive/');
			emitted += out.emit.length;
			state = out.state;
			maxSize = Math.max(maxSize, stateSize(state));
		}
		expect(emitted).toBe(3000);
		// ≈ 1,000 fingerprints of the last hour, 10 characters each, in minute groups
		expect(maxSize).toBeLessThan(16 * 1024);
		expect(stateSize(state)).toBeGreaterThan(8 * 1024);
	});
});

describe('S3 Storage Trigger: key pattern, manual mode, download', () => {
	it('emits only keys matching the glob', async () => {
		const prefix = freshPrefix('glob');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { keyPattern: '*.csv' } });
		await h.poll({ activation: true });
		await putMany(prefix, ['a.csv', 'b.txt', 'deep/er/c.csv', 'd.csv.bak']);
		expect(keysOf(await h.poll()).sort()).toEqual([`${prefix}a.csv`, `${prefix}deep/er/c.csv`]);
		const h2 = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { keyPattern: `${prefix}invoices/**/*.pdf` } });
		await h2.poll({ activation: true });
		await putMany(prefix, ['invoices/2024/05/x.pdf', 'invoices/y.pdf', 'invoices/z.txt', 'other/w.pdf']);
		expect(keysOf(await h2.poll()).sort()).toEqual([`${prefix}invoices/2024/05/x.pdf`, `${prefix}invoices/y.pdf`]);
	});

	it('Fetch Test Event returns the newest matching object with its file and changes no state', async () => {
		const prefix = freshPrefix('manual');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { download: true, keyPattern: '*.bin' } });
		const none = await h.poll({ mode: 'manual' }).catch((e: Error) => e);
		expect(none).toBeInstanceOf(Error);
		expect((none as Error).message).toMatch(/No object under ".*" in bucket ".*" matches/);
		await putObject(bucket, `${prefix}older.bin`, randomBuffer(1000, 1));
		await sleep(1100);
		const newest = randomBuffer(300_000, 2);
		await putObject(bucket, `${prefix}newest.bin`, newest);
		await putObject(bucket, `${prefix}newest-but-not-matching.txt`, 'x');
		const before = h.stored;
		const r = await h.poll({ mode: 'manual', binaryMode: 'filesystem' });
		expect(keysOf(r)).toEqual([`${prefix}newest.bin`]);
		expect(sha256(await readBinary(r.items[0].binary!.data))).toBe(sha256(newest));
		expect(r.items[0].binary!.data.fileName).toBe('newest.bin');
		expect(h.stored).toBe(before);
		expect(r.staticDataAfter).toEqual(JSON.parse(before));
	});

	it('downloads each emitted object into the binary property, and skips one over the size cap saying why', async () => {
		const prefix = freshPrefix('dl');
		const h = new TriggerHarness({
			bucketName: rl(bucket),
			prefix,
			options: { download: true, binaryPropertyName: 'file', maxDownloadSize: 1 },
		});
		await h.poll({ activation: true });
		const small = randomBuffer(200_000, 3);
		const big = randomBuffer(1024 * 1024 + 1, 4);
		await putObject(bucket, `${prefix}small.dat`, small, { contentType: 'application/x-test' });
		await putObject(bucket, `${prefix}big.dat`, big);
		const r = await h.poll({ binaryMode: 'filesystem' });
		const byKey = Object.fromEntries(r.items.map((i) => [i.json.key, i]));
		const s = byKey[`${prefix}small.dat`];
		expect(sha256(await readBinary(s.binary!.file))).toBe(sha256(small));
		expect(s.binary!.file.mimeType).toBe('application/x-test');
		const b = byKey[`${prefix}big.dat`];
		expect(b.binary).toBeUndefined();
		expect(b.json.downloadSkipped).toMatch(/over Max Download Size \(1 MiB\)/);
	});

	it('emits an object deleted, rewritten or unreadable at download time without a file, saying so', async () => {
		const prefix = freshPrefix('gone');
		const proxy = await FaultProxy.start(testConfig().endpoint);
		try {
			const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { download: true } });
			await h.poll({ activation: true });
			await putObject(bucket, `${prefix}gone.txt`, 'soon gone');
			await putObject(bucket, `${prefix}changed.txt`, 'v1');
			// the server's answers to the GetObject of each, as if it happened in between
			proxy.addRule({ match: (req) => req.method === 'GET' && req.path.endsWith('gone.txt'), action: { kind: 'respond', status: 404, code: 'NoSuchKey' } });
			proxy.addRule({
				match: (req) => req.method === 'GET' && req.path.endsWith('changed.txt'),
				action: { kind: 'respond', status: 412, code: 'PreconditionFailed' },
			});
			await putObject(bucket, `${prefix}archived.txt`, 'in a vault');
			proxy.addRule({
				match: (req) => req.method === 'GET' && req.path.endsWith('archived.txt'),
				action: { kind: 'respond', status: 403, code: 'InvalidObjectState', message: 'The operation is not valid for the object storage class' },
			});
			const r = await h.poll({ credentials: testCredentials({ endpoint: proxy.endpoint }) });
			const byKey = Object.fromEntries(r.items.map((i) => [i.json.key, i]));
			expect(byKey[`${prefix}gone.txt`].json.downloadSkipped).toMatch(/deleted after it was listed/);
			expect(byKey[`${prefix}changed.txt`].json.downloadSkipped).toMatch(/written again after it was listed/);
			// an object that cannot be read comes without its file instead of failing every poll
			expect(byKey[`${prefix}archived.txt`].json.downloadSkipped).toMatch(/could not be downloaded: InvalidObjectState \(archived/);
			// the GetObject asked for exactly the listed version
			const get = proxy.requests.find((q) => q.method === 'GET' && q.path.endsWith('changed.txt'));
			expect(get?.headers['if-match']).toBe(`"${r.items.find((i) => i.json.key === `${prefix}changed.txt`)!.json.etag}"`);
		} finally {
			await proxy.close();
		}
	});
});

describe('S3 Storage Trigger: failures', () => {
	it('a missing bucket fails the poll with the action node\'s message', async () => {
		const missing = uniqueBucketName('nope');
		const h = new TriggerHarness({ bucketName: rl(missing), prefix: '' });
		await expect(h.poll({ activation: true })).rejects.toThrow(`Bucket "${missing}" does not exist`);
		expect(h.stored).toBe('{}');
	});

	it('wrong keys fail the poll clearly, without the secret', async () => {
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix: '' });
		const secret = 'wrong-secret-0123456789abcdef';
		const error = (await h.poll({ credentials: testCredentials({ secretAccessKey: secret }), activation: true }).catch((e: Error) => e)) as Error;
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toMatch(/secret access key|signature/i);
		expect(JSON.stringify({ m: error.message, d: (error as { description?: string }).description })).not.toContain(secret);
	});

	it('a network error half-way through a poll changes no state; the next poll catches up with nothing lost or doubled', async () => {
		const prefix = freshPrefix('cut');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix, options: { maxObjectsPerPoll: 5000 } }, true);
		await h.poll({ activation: true });
		const names = Array.from({ length: 2300 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`);
		await putMany(prefix, names, 32);
		const before = h.stored;
		const proxy = await FaultProxy.start(testConfig().endpoint);
		try {
			// the second page of the listing (and its retries) is cut mid-body
			proxy.addRule({
				match: (req) => req.method === 'GET' && req.query.has('continuation-token'),
				action: { kind: 'cutResponse', afterBytes: 2000 },
			});
			const error = await h.poll({ credentials: testCredentials({ endpoint: proxy.endpoint }) }).catch((e: Error) => e);
			expect(error).toBeInstanceOf(Error);
			expect(proxy.count((r) => r.fault !== undefined)).toBeGreaterThan(0);
		} finally {
			await proxy.close();
		}
		expect(h.stored).toBe(before);
		const r = await h.poll();
		expect(keysOf(r).sort()).toEqual(names.map((k) => prefix + k));
		expect((await h.poll()).raw).toBeNull();
	}, 300_000);

	it('refuses bad options naming the option', async () => {
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix: '', options: { maxObjectsPerPoll: 0 } });
		await expect(h.poll()).rejects.toThrow(/Max Objects per Poll must be a whole number of at least 1/);
		const h2 = new TriggerHarness({ bucketName: rl(''), prefix: '' });
		await expect(h2.poll()).rejects.toThrow(/Bucket Name is empty/);
	});

	it('starts afresh (a new baseline) when the bucket or prefix changes', async () => {
		const prefix = freshPrefix('scope');
		await putObject(bucket, `${prefix}a/1.txt`, '1');
		await putObject(bucket, `${prefix}b/2.txt`, '2');
		const h = new TriggerHarness({ bucketName: rl(bucket), prefix: `${prefix}a/` });
		await h.poll({ activation: true });
		h.params = { ...h.params, prefix: `${prefix}b/` };
		expect((await h.poll({ activation: true })).raw).toBeNull(); // b/2.txt existed: not replayed
		await putObject(bucket, `${prefix}b/3.txt`, '3');
		expect(keysOf(await h.poll())).toEqual([`${prefix}b/3.txt`]);
	});
});
