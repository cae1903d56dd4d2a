/**
 * Many files per step (issue 10): Upload of several binaries of one item, Folder → Copy, Move
 * and Download, against the real server; failing copies through the fault proxy.
 */
import { GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand, type _Object } from '@aws-sdk/client-s3';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { compileKeyGlob } from '../nodes/shared/helpers/glob';
import { forEachPaged } from '../nodes/shared/helpers/concurrency';
import { binaryItem, readBinary } from './helpers/context';
import { FaultProxy } from './helpers/faultProxy';
import { run, runError, rl } from './helpers/node';
import { getObjectBuffer, headObject, listAllKeys, putObject, randomBuffer, rawClient, testConfig, testCredentials, uniqueBucket } from './helpers/s3';

let bucket: string;
let other: string;
beforeAll(async () => {
	bucket = await uniqueBucket('files');
	other = await uniqueBucket('files-dst');
});

/** Every object under a prefix with its size and ETag (ListObjectsV2). */
async function listObjects(b: string, prefix: string): Promise<_Object[]> {
	const out: _Object[] = [];
	let ContinuationToken: string | undefined;
	do {
		const page = await rawClient().send(new ListObjectsV2Command({ Bucket: b, Prefix: prefix, ContinuationToken }));
		out.push(...(page.Contents ?? []));
		ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (ContinuationToken);
	return out;
}

/** Puts `count` objects under `prefix` (nested in 7 subfolders, sizes 0–299 bytes), 32 at a time. */
async function seedFolder(b: string, prefix: string, count: number): Promise<string[]> {
	const keys = Array.from({ length: count }, (_, i) => `${prefix}${i % 7 ? `sub${i % 7}/` : ''}obj-${String(i).padStart(5, '0')}.bin`);
	await Promise.all(
		Array.from({ length: 32 }, async (_, lane) => {
			for (let i = lane; i < keys.length; i += 32) await putObject(b, keys[i], randomBuffer(i % 300, i));
		}),
	);
	return keys;
}

describe('upload of several binary properties', () => {
	async function mailItem(): Promise<INodeExecutionData> {
		const a = await binaryItem(Buffer.from('Grüße aus Köln'), { fileName: 'Größe ü.txt', mimeType: 'text/plain', propertyName: 'attachment_0' });
		const b = await binaryItem(randomBuffer(70_000, 2), { fileName: '日本語 レポート.pdf', mimeType: 'application/pdf', propertyName: 'attachment_1', mode: 'filesystem' });
		const c = await binaryItem(randomBuffer(100, 3), { mimeType: 'image/png', propertyName: 'attachment_2' });
		const d = await binaryItem(Buffer.from('second file with the same name'), { fileName: 'Größe ü.txt', mimeType: 'text/plain', propertyName: 'attachment_3' });
		delete c.binary!.attachment_2.fileName;
		return { json: { subject: 'files' }, binary: { ...a.binary, ...b.binary, ...c.binary, ...d.binary } };
	}

	it('"*" stores every file under Key as a folder, unicode names kept, one item per file paired to the input', async () => {
		const item = await mailItem();
		const out = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'mail/ïnbox', binaryPropertyName: '*' }, { items: [item] });
		const expected = ['mail/ïnbox/Größe ü.txt', 'mail/ïnbox/日本語 レポート.pdf', 'mail/ïnbox/attachment_2.png', 'mail/ïnbox/Größe ü (2).txt'];
		expect(out.map((o) => o.json.key)).toEqual(expected);
		expect(out.map((o) => o.json.binaryProperty)).toEqual(['attachment_0', 'attachment_1', 'attachment_2', 'attachment_3']);
		expect(out.map((o) => o.pairedItem)).toEqual(Array(4).fill({ item: 0 }));
		expect(out.map((o) => o.json.contentType)).toEqual(['text/plain', 'application/pdf', 'image/png', 'text/plain']);
		const props = ['attachment_0', 'attachment_1', 'attachment_2', 'attachment_3'];
		for (let f = 0; f < 4; f++) {
			const sent = await readBinary(item.binary![props[f]]);
			expect((await getObjectBuffer(bucket, expected[f])).equals(sent)).toBe(true);
			expect(out[f].json.size).toBe(sent.length);
		}
		expect(await listAllKeys(bucket, 'mail/')).toEqual([...expected].sort());
	});

	it('a comma-separated list uploads those properties in the order given; other items keep their own pairing', async () => {
		const items = [await mailItem(), await mailItem()];
		const out = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'list/', binaryPropertyName: 'attachment_1, attachment_0,' }, { items });
		expect(out.map((o) => [o.json.key, o.json.binaryProperty, o.pairedItem])).toEqual([
			['list/日本語 レポート.pdf', 'attachment_1', { item: 0 }],
			['list/Größe ü.txt', 'attachment_0', { item: 0 }],
			['list/日本語 レポート.pdf', 'attachment_1', { item: 1 }],
			['list/Größe ü.txt', 'attachment_0', { item: 1 }],
		]);
	});

	it('one file behaves as before: a single name (or a one-name list) stores at Key itself', async () => {
		const item = await mailItem();
		const [single] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'one/report.txt', binaryPropertyName: 'attachment_0' }, { items: [item] });
		expect(single.json).toEqual({ bucket, key: 'one/report.txt', etag: expect.any(String), size: Buffer.byteLength("Grüße aus Köln"), contentType: 'text/plain' });
		const [listed] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'one/other.txt', binaryPropertyName: 'attachment_0,' }, { items: [item] });
		expect(listed.json).toMatchObject({ key: 'one/other.txt', binaryProperty: 'attachment_0' });
		expect((await getObjectBuffer(bucket, 'one/other.txt')).toString()).toBe('Grüße aus Köln');
	});

	it('a Key ending in "/" is a folder for one file too: stored under the binary\'s file name (text input stays at Key)', async () => {
		const item = await mailItem();
		const [single] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'into/', binaryPropertyName: 'attachment_1' }, { items: [item] });
		expect(single.json).toEqual({ bucket, key: 'into/日本語 レポート.pdf', etag: expect.any(String), size: expect.any(Number), contentType: 'application/pdf' });
		expect((await getObjectBuffer(bucket, 'into/日本語 レポート.pdf')).equals(await readBinary(item.binary!.attachment_1))).toBe(true);
		// a file without a name gets its property name and the extension of its MIME type
		const [unnamed] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'into/', binaryPropertyName: 'attachment_2' }, { items: [item] });
		expect(unnamed.json.key).toBe('into/attachment_2.png');
		const [text] = await run({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'marker/', inputType: 'text', content: '' }, { items: [{ json: {} }] });
		expect(text.json).toMatchObject({ key: 'marker/', size: 0 });
		expect(await listAllKeys(bucket, 'into/')).toEqual(['into/attachment_2.png', 'into/日本語 レポート.pdf']);
		const missing = await runError({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'into/', binaryPropertyName: 'nope' }, { items: [item] });
		expect(missing.message).toContain('No binary property "nope"');
	});

	it('names a missing property of the list; "*" on an item without binaries is refused', async () => {
		const item = await mailItem();
		const error = await runError({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'miss/', binaryPropertyName: 'attachment_0, nope' }, { items: [item] });
		expect(error.message).toContain('"nope"');
		expect(error.message).toContain('Input Binary Field');
		const none = await runError({ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'miss/', binaryPropertyName: '*' }, { items: [{ json: {} }] });
		expect(none.message).toMatch(/Input Binary Field is "\*" but the item has no binary data/);
	});
});

describe('folder copy and move (2,500 objects)', () => {
	let keys: string[];
	beforeAll(async () => {
		keys = await seedFolder(bucket, 'big/', 2500);
		await putObject(bucket, 'bigger.txt', 'outside the folder');
		// one object with metadata, a content type and tags, which must all come along
		await rawClient().send(
			new PutObjectCommand({ Bucket: bucket, Key: 'big/tagged.json', Body: '{"a":1}', ContentType: 'application/json', Metadata: { owner: 'ops' }, Tagging: 'team=blue&year=2024' }),
		);
		keys.push('big/tagged.json');
	}, 180_000);

	it('copies every key to another bucket and folder with the same size and ETag; metadata, content type and tags carried over', async () => {
		const source = await listObjects(bucket, 'big/');
		expect(source).toHaveLength(2501);
		const [out] = await run({
			resource: 'folder',
			operation: 'copy',
			bucketName: rl(bucket),
			folderKey: 'big',
			destinationBucketName: rl(other),
			destinationFolderKey: 'archive/2024',
		});
		expect(out.json).toEqual({ sourceBucket: bucket, sourceFolderKey: 'big/', bucket: other, folderKey: 'archive/2024/', copied: 2501, errors: [] });
		const copied = await listObjects(other, 'archive/2024/');
		expect(copied.map((o) => [o.Key, o.Size, o.ETag])).toEqual(source.map((o) => [`archive/2024/${o.Key!.slice(4)}`, o.Size, o.ETag]));
		const head = await headObject(other, 'archive/2024/tagged.json');
		expect([head.ContentType, head.Metadata]).toEqual(['application/json', { owner: 'ops' }]);
		const tags = await rawClient().send(new GetObjectTaggingCommand({ Bucket: other, Key: 'archive/2024/tagged.json' }));
		expect(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual({ team: 'blue', year: '2024' });
		expect(await listObjects(bucket, 'big/')).toHaveLength(2501);
	}, 180_000);

	it('moves every key within the bucket (same size and ETag) and leaves the source folder empty, the rest untouched', async () => {
		const source = await listObjects(bucket, 'big/');
		const [out] = await run({ resource: 'folder', operation: 'move', bucketName: rl(bucket), folderKey: 'big/', destinationBucketName: rl(bucket), destinationFolderKey: 'renamed' });
		expect(out.json).toEqual({ sourceBucket: bucket, sourceFolderKey: 'big/', bucket, folderKey: 'renamed/', copied: 2501, moved: 2501, errors: [] });
		const moved = await listObjects(bucket, 'renamed/');
		expect(moved.map((o) => [o.Key, o.Size, o.ETag])).toEqual(source.map((o) => [`renamed/${o.Key!.slice(4)}`, o.Size, o.ETag]));
		expect(await listAllKeys(bucket, 'big/')).toEqual([]);
		expect(await listAllKeys(bucket, 'bigger')).toEqual(['bigger.txt']);
		expect(keys.every((k) => moved.some((o) => o.Key === `renamed/${k.slice(4)}`))).toBe(true);
	}, 180_000);
});

describe('folder move with failing copies (fault proxy)', () => {
	let proxy: FaultProxy;
	beforeAll(async () => {
		proxy = await FaultProxy.start(testConfig().endpoint);
	});
	afterAll(async () => proxy?.close());

	it('moves what was copied; objects whose copy failed stay, are not deleted and are named in errors', async () => {
		const keys = Array.from({ length: 40 }, (_, i) => `fm/${i % 5 === 0 ? 'fail' : 'ok'}-${i}.txt`);
		for (const k of keys) await putObject(bucket, k, k);
		const failing = keys.filter((k) => k.includes('/fail-'));
		proxy.reset().addRule({
			label: 'copy refused',
			match: (r) => r.method === 'PUT' && r.headers['x-amz-copy-source'] !== undefined && r.path.includes('/fm-done/fail-'),
			action: { kind: 'respond', status: 403, code: 'AccessDenied', message: 'Access Denied' },
		});
		const [out] = await run(
			{ resource: 'folder', operation: 'move', bucketName: rl(bucket), folderKey: 'fm', destinationBucketName: rl(bucket), destinationFolderKey: 'fm-done', options: { objectsInFlight: 4 } },
			{ credentials: testCredentials({ endpoint: proxy.endpoint }) },
		);
		expect(out.json.copied).toBe(32);
		expect(out.json.moved).toBe(32);
		const errors = out.json.errors as Array<{ key: string; code: string; message: string }>;
		expect(errors.map((e) => e.key).sort()).toEqual([...failing].sort());
		expect(errors.every((e) => e.code === 'AccessDenied' && e.message.includes('Access Denied'))).toBe(true);
		expect(await listAllKeys(bucket, 'fm/')).toEqual([...failing].sort());
		expect((await listAllKeys(bucket, 'fm-done/')).sort()).toEqual(keys.filter((k) => !failing.includes(k)).map((k) => k.replace('fm/', 'fm-done/')).sort());
		expect(proxy.count((r) => r.fault === 'copy refused')).toBe(failing.length);
		// deletes went as DeleteObjects (one request for 32 keys), never one DELETE per key
		expect(proxy.count((r) => r.method === 'POST' && r.query.has('delete'))).toBe(1);
		expect(proxy.count((r) => r.method === 'DELETE')).toBe(0);
	});

	it.each([
		['into itself', 'self', 'self/'],
		['below itself', 'self', 'self/deeper/down'],
		['the whole bucket into a folder', '/', 'x/'],
	])('refuses a copy %s before sending any request', async (_label, folderKey, destinationFolderKey) => {
		proxy.reset();
		for (const operation of ['copy', 'move']) {
			const error = await runError(
				{ resource: 'folder', operation, bucketName: rl(bucket), folderKey, destinationBucketName: rl(bucket), destinationFolderKey },
				{ credentials: testCredentials({ endpoint: proxy.endpoint }) },
			);
			expect(error.constructor.name).toBe('NodeOperationError');
			expect(error.message).toMatch(new RegExp(`Cannot ${operation} folder .* into (itself|its own subfolder)`));
		}
		expect(proxy.count()).toBe(0);
	});

	it('refuses moving a folder up when keys would land back inside it, and allows it otherwise', async () => {
		await putObject(bucket, 'up/a/a/clash.txt', 'x');
		const error = await runError({ resource: 'folder', operation: 'move', bucketName: rl(bucket), folderKey: 'up/a', destinationBucketName: rl(bucket), destinationFolderKey: 'up' });
		expect(error.message).toContain('would be written back into the source folder');
		expect(await listAllKeys(bucket, 'up/')).toEqual(['up/a/a/clash.txt']);
		await putObject(bucket, 'up2/a/b/fine.txt', 'y');
		const [out] = await run({ resource: 'folder', operation: 'move', bucketName: rl(bucket), folderKey: 'up2/a', destinationBucketName: rl(bucket), destinationFolderKey: 'up2' });
		expect(out.json).toMatchObject({ copied: 1, moved: 1, errors: [] });
		expect(await listAllKeys(bucket, 'up2/')).toEqual(['up2/b/fine.txt']);
	});

	it('an empty folder key is refused; a missing source bucket fails the item with the S3 error', async () => {
		const empty = await runError({ resource: 'folder', operation: 'copy', bucketName: rl(bucket), folderKey: ' ', destinationBucketName: rl(other), destinationFolderKey: 'x' });
		expect(empty.message).toContain('Folder Key is empty');
		const [failed] = await run(
			{ resource: 'folder', operation: 'copy', bucketName: rl(`${bucket}-missing`), folderKey: 'a', destinationBucketName: rl(other), destinationFolderKey: 'x' },
			{ continueOnFail: true },
		);
		expect(failed.json).toMatchObject({ code: 'NoSuchBucket', httpStatusCode: 404 });
	});
});

describe('folder download', () => {
	const files: Record<string, Buffer> = {
		'dl/a.csv': Buffer.from('a,b\n1,2\n'),
		'dl/x/b.csv': randomBuffer(3000, 5),
		'dl/x/y/c.csv': randomBuffer(70_000, 6),
		'dl/x/d.txt': Buffer.from('not a csv'),
		'dl/ü/é.csv': Buffer.from('unicode'),
		'dlother/e.csv': Buffer.from('outside'),
	};
	beforeAll(async () => {
		await putObject(bucket, 'dl/', Buffer.alloc(0));
		for (const [k, v] of Object.entries(files)) await putObject(bucket, k, v, { contentType: k.endsWith('.csv') ? 'text/csv' : 'text/plain' });
	});

	const download = async (extra: INodeParameters = {}, options: INodeParameters = {}) =>
		await run({ resource: 'folder', operation: 'download', bucketName: rl(bucket), folderKey: 'dl', returnAll: true, ...extra, options }, { binaryMode: 'filesystem' });

	it('downloads every object under the folder (nested), in key order, skipping the folder marker', async () => {
		const out = await download({}, { objectsInFlight: 3 });
		const keys = Object.keys(files).filter((k) => k.startsWith('dl/')).sort();
		expect(out.map((o) => o.json.key)).toEqual(keys);
		for (const o of out) {
			const key = o.json.key as string;
			expect(o.json).toEqual({ bucket, key, size: files[key].length, contentType: key.endsWith('.csv') ? 'text/csv' : 'text/plain', etag: expect.stringMatching(/^[0-9a-f]{32}$/), lastModified: expect.any(String) });
			expect(o.binary?.data?.fileName).toBe(key.split('/').pop());
			expect((await readBinary(o.binary?.data)).equals(files[key])).toBe(true);
			expect(o.pairedItem).toEqual({ item: 0 });
		}
	});

	it('filters with a glob on the key: a pattern without "/" matches the file name at any depth, ** crosses folders', async () => {
		expect((await download({}, { keyPattern: '*.csv' })).map((o) => o.json.key)).toEqual(['dl/a.csv', 'dl/x/b.csv', 'dl/x/y/c.csv', 'dl/ü/é.csv']);
		expect((await download({}, { keyPattern: 'dl/x/**/*.csv' })).map((o) => o.json.key)).toEqual(['dl/x/b.csv', 'dl/x/y/c.csv']);
		expect((await download({}, { keyPattern: 'dl/*.{csv,txt}' })).map((o) => o.json.key)).toEqual(['dl/a.csv']);
		expect((await download({}, { keyPattern: '!*.csv' })).map((o) => o.json.key)).toEqual(['dl/x/d.txt']);
	});

	it('Limit bounds the objects (after the filter); another binary field name; an unclosed bracket is literal', async () => {
		const out = await download({ returnAll: false, limit: 2, binaryPropertyName: 'file' }, { keyPattern: '*.csv' });
		expect(out.map((o) => o.json.key)).toEqual(['dl/a.csv', 'dl/x/b.csv']);
		expect(Object.keys(out[0].binary ?? {})).toEqual(['file']);
		expect(await download({}, { keyPattern: 'dl/[abc' })).toEqual([]);
	});
});

describe('compileKeyGlob (shared with the trigger node)', () => {
	it.each([
		['*.csv', 'a.csv', true],
		['*.csv', 'reports/2024/a.csv', true],
		['*.csv', 'reports/a.csv.gz', false],
		['invoices/**/*.pdf', 'invoices/a.pdf', true],
		['invoices/**/*.pdf', 'invoices/2024/05/b.pdf', true],
		['invoices/**/*.pdf', 'x/invoices/b.pdf', false],
		['invoices/*.pdf', 'invoices/2024/b.pdf', false],
		['*', '.env', true],
		['!*.tmp', 'a/b.tmp', false],
		['!*.tmp', 'a/b.txt', true],
		['Report-??.PDF', 'Report-01.pdf', false],
		['dl/[abc', 'dl/[abc', true],
		['rapport-é*.txt', 'dossier/rapport-été.txt', true],
	])('%s on %s → %s', (pattern, key, expected) => {
		expect(compileKeyGlob(pattern)(key)).toBe(expected);
	});

	it('an empty pattern matches every key', () => {
		expect(compileKeyGlob('  ')('any/key.bin')).toBe(true);
		expect(compileKeyGlob(undefined)('')).toBe(true);
	});
});

describe('forEachPaged', () => {
	async function* pages(n: number, size: number) {
		for (let p = 0; p < n; p++) yield Array.from({ length: size }, (_, i) => p * size + i);
	}

	it('runs every entry with at most `limit` at once, across page boundaries', async () => {
		let running = 0;
		let peak = 0;
		const seen: number[] = [];
		const count = await forEachPaged(pages(5, 7), 4, async (entry, index) => {
			expect(index).toBe(entry);
			running++;
			peak = Math.max(peak, running);
			await new Promise((r) => setTimeout(r, 1 + (entry % 3)));
			seen.push(entry);
			running--;
		});
		expect(count).toBe(35);
		expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, i) => i));
		expect(peak).toBe(4);
	});

	it('stop() ends the run and closes the source; a failure is rethrown after running work settles', async () => {
		let closed = false;
		async function* source() {
			try {
				yield* pages(100, 10);
			} finally {
				closed = true;
			}
		}
		const count = await forEachPaged(source(), 3, async (entry, _i, stop) => {
			if (entry === 15) stop();
		});
		expect(count).toBeLessThan(20);
		expect(closed).toBe(true);
		let settled = 0;
		await expect(
			forEachPaged(pages(3, 10), 4, async (entry) => {
				await new Promise((r) => setTimeout(r, 5));
				settled++;
				if (entry === 6) throw new Error('boom 6');
			}),
		).rejects.toThrow('boom 6');
		expect(settled).toBeLessThan(30);
	});
});
