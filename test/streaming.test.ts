/**
 * The streaming data paths (issue 5): uploads read n8n's binary store as a stream into a
 * multipart upload, downloads stream the GetObject body into n8n's binary store, items run
 * concurrently without losing order or pairing, and a failed or cancelled upload leaves nothing
 * behind. Against the real S3 server; server state is read back with a plain SDK client.
 */
import { ListPartsCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { binaryItem, createContext, loadCredentialType, readBinary, type FakeExecuteFunctions, type RunOptions } from './helpers/context';
import { node, rl } from './helpers/node';
import {
	emptyAndDeleteBucket,
	getObjectBuffer,
	headObject,
	listOpenMultipartUploads,
	objectExists,
	randomBuffer,
	rawClient,
	sha256,
	uniqueBucket,
} from './helpers/s3';

const MiB = 1024 * 1024;
let bucket: string;

beforeAll(async () => {
	bucket = await uniqueBucket('stream');
});
afterAll(async () => {
	await emptyAndDeleteBucket(bucket);
});

/** Like helpers/node run(), but lets the test wrap the context's helpers first. */
async function runWith(
	options: Omit<RunOptions, 'params'> & { params: INodeParameters | INodeParameters[] },
	patch: (ctx: FakeExecuteFunctions) => void = () => {},
): Promise<INodeExecutionData[]> {
	const ctx = createContext({ ...options, nodeType: node, credentialType: loadCredentialType() });
	patch(ctx);
	const out = (await node.execute!.call(ctx)) as INodeExecutionData[][];
	return out[0];
}

const upload = (key: string, options: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation: 'upload',
	bucketName: rl(bucket),
	key: rl(key, 'key'),
	options,
});
const download = (key: string, options: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation: 'download',
	bucketName: rl(bucket),
	key: rl(key, 'key'),
	options,
});

/** A stream of `total` bytes of `data` in chunks of `chunk` bytes; `gate(sent)` may hold it back. */
function chunkedStream(data: Buffer, chunk: number, gate?: (sent: number) => Promise<void> | undefined): Readable {
	let sent = 0;
	return new Readable({
		highWaterMark: chunk,
		read() {
			if (sent >= data.length) {
				this.push(null);
				return;
			}
			const wait = gate?.(sent);
			const push = () => {
				const end = Math.min(sent + chunk, data.length);
				const piece = data.subarray(sent, end);
				sent = end;
				this.push(piece);
			};
			if (wait) void wait.then(push, (e: Error) => this.destroy(e));
			else push();
		},
	});
}

/** Until `check()` is truthy (polls every 100 ms, up to `ms`). */
async function eventually<T>(check: () => Promise<T>, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await check();
		if (v || Date.now() > end) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('upload and download stream through n8n\'s filesystem binary store', () => {
	it('a file larger than a part round-trips byte for byte, streamed both ways', async () => {
		const data = randomBuffer(17 * MiB + 4321, 11);
		const streamed: string[] = [];
		const [up] = await runWith(
			{ params: upload('rt/big.bin', { partSize: 5 }), items: [await binaryItem(data, { fileName: 'big.bin', mode: 'filesystem' })], binaryMode: 'filesystem' },
			(ctx) => {
				const { getBinaryStream, getBinaryDataBuffer } = ctx.helpers;
				ctx.helpers.getBinaryStream = async (id: string, chunkSize?: number) => {
					streamed.push('stream');
					return await getBinaryStream(id, chunkSize);
				};
				ctx.helpers.getBinaryDataBuffer = async (...args: Parameters<typeof getBinaryDataBuffer>) => {
					streamed.push('buffer');
					return await getBinaryDataBuffer(...args);
				};
			},
		);
		expect(streamed).toEqual(['stream']); // never read into one Buffer
		expect(up.json).toMatchObject({ key: 'rt/big.bin', size: data.length });
		expect(up.json.etag).toMatch(/^[0-9a-f]{32}-4$/); // 5 + 5 + 5 + 2 MiB
		expect(sha256(await getObjectBuffer(bucket, 'rt/big.bin'))).toBe(sha256(data));

		const given: string[] = [];
		const [down] = await runWith({ params: download('rt/big.bin'), binaryMode: 'filesystem' }, (ctx) => {
			const prepare = ctx.helpers.prepareBinaryData;
			ctx.helpers.prepareBinaryData = async (body: Buffer | Readable, fileName?: string, mimeType?: string) => {
				given.push(Buffer.isBuffer(body) ? 'buffer' : 'stream');
				return await prepare(body, fileName, mimeType);
			};
		});
		expect(given).toEqual(['stream']); // the body goes to n8n as a stream, not a whole-file Buffer
		const bin = down.binary!.data as IBinaryData;
		expect(bin.id).toMatch(/^filesystem/);
		expect(down.json.size).toBe(data.length);
		const back = await readBinary(bin);
		expect(back.length).toBe(data.length);
		expect(sha256(back)).toBe(sha256(data));
	});

	it('small files in the store are read in one go and sent as one PutObject', async () => {
		const data = randomBuffer(4096, 12);
		const reads: string[] = [];
		const [up] = await runWith(
			{ params: upload('rt/small.txt'), items: [await binaryItem(data, { fileName: 'small.txt', mode: 'filesystem' })], binaryMode: 'filesystem' },
			(ctx) => {
				const { getBinaryStream } = ctx.helpers;
				ctx.helpers.getBinaryStream = async (id: string, chunkSize?: number) => {
					reads.push('stream');
					return await getBinaryStream(id, chunkSize);
				};
			},
		);
		expect(reads).toEqual([]);
		expect(up.json.etag).toMatch(/^[0-9a-f]{32}$/); // single part
		expect(sha256(await getObjectBuffer(bucket, 'rt/small.txt'))).toBe(sha256(data));
	});
});

describe('part sizes', () => {
	it('a stream of 64 KiB chunks never produces a part below 5 MiB (checked with ListParts mid-upload)', async () => {
		const data = randomBuffer(16 * MiB + 70_000, 13);
		const key = 'parts/chunky.bin';
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		let held = false;
		// hold the input back once 3 parts' worth (15 MiB) plus a bit have been read
		const gate = (sent: number) => {
			if (sent < 15 * MiB + 128 * 1024) return undefined;
			held = true;
			return released;
		};
		const item = await binaryItem(Buffer.alloc(1), { fileName: 'chunky.bin', mode: 'filesystem' });
		item.binary!.data.bytes = data.length; // the store's size: the node streams it
		const running = runWith({ params: upload(key, { partSize: 5 }), items: [item], binaryMode: 'filesystem' }, (ctx) => {
			ctx.helpers.getBinaryStream = async () => chunkedStream(data, 64 * 1024, gate);
		});
		const failed = running.then(
			() => undefined,
			(e: Error) => e,
		);
		try {
			// while the input is held, the three full parts are on the server
			const parts = await eventually(async () => {
				if (!held) return undefined;
				const open = (await listOpenMultipartUploads(bucket)).filter((u) => u.key === key);
				if (open.length !== 1) return undefined;
				const listed = await rawClient().send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: open[0].uploadId }));
				return (listed.Parts ?? []).length >= 3 ? listed.Parts : undefined;
			});
			expect(parts?.map((p) => p.Size)).toEqual([5 * MiB, 5 * MiB, 5 * MiB]);
		} finally {
			release();
		}
		expect(await failed).toBeUndefined();
		const [out] = await running;
		// 16 MiB + 70,000 bytes in 5 MiB parts: 4 parts, the last one 1 MiB + 70,000 bytes
		expect(out.json.etag).toMatch(/^[0-9a-f]{32}-4$/);
		expect((await headObject(bucket, key)).ContentLength).toBe(data.length);
		expect(sha256(await getObjectBuffer(bucket, key))).toBe(sha256(data));
	});

	it('a stream of unknown length in 1-byte-odd chunks still gives parts of exactly the part size', async () => {
		const data = randomBuffer(11 * MiB + 3, 14);
		const key = 'parts/unknown-length.bin';
		const item = await binaryItem(Buffer.alloc(1), { fileName: 'u.bin', mode: 'filesystem' });
		delete item.binary!.data.bytes; // no size known: neither in the item ...
		const [out] = await runWith({ params: upload(key, { partSize: 5 }), items: [item], binaryMode: 'filesystem' }, (ctx) => {
			ctx.helpers.getBinaryMetadata = async () => {
				throw new Error('no metadata'); // ... nor in the store
			};
			ctx.helpers.getBinaryStream = async () => chunkedStream(data, 65_537);
		});
		expect(out.json.size).toBe(data.length);
		expect(out.json.etag).toMatch(/^[0-9a-f]{32}-3$/); // 5 + 5 + 1 MiB
		expect(sha256(await getObjectBuffer(bucket, key))).toBe(sha256(data));
	});
});

describe('concurrency', () => {
	it('runs items at once but keeps output order and pairedItem as the input\'s', async () => {
		const n = 12;
		const items: INodeExecutionData[] = [];
		for (let i = 0; i < n; i++) {
			items.push(await binaryItem(randomBuffer(1000 + i, 100 + i), { fileName: `f${i}.bin`, mode: 'filesystem', json: { i } }));
		}
		let active = 0;
		let maxActive = 0;
		const out = await runWith(
			{
				params: items.map((_, i) => upload(`conc/f${i}.bin`, { concurrency: 4 })),
				items,
				binaryMode: 'filesystem',
			},
			(ctx) => {
				// the items carry no size, so the node asks the store for each one's metadata first
				for (const item of items) delete item.binary!.data.bytes;
				const meta = ctx.helpers.getBinaryMetadata;
				const indexOf = (id: string) => items.findIndex((it) => it.binary!.data.id === id);
				// early items take longest, so they finish last
				ctx.helpers.getBinaryMetadata = async (id: string) => {
					active++;
					maxActive = Math.max(maxActive, active);
					await new Promise((r) => setTimeout(r, (n - indexOf(id)) * 15));
					active--;
					return await meta(id);
				};
			},
		);
		expect(maxActive).toBe(4);
		expect(out.map((o) => o.json.key)).toEqual(items.map((_, i) => `conc/f${i}.bin`));
		expect(out.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(out.map((o) => o.json.size)).toEqual(items.map((_, i) => 1000 + i));

		const back = await runWith({
			params: items.map((_, i) => download(`conc/f${i}.bin`, { concurrency: 5 })),
			items: items.map((_, i) => ({ json: { i } })),
			binaryMode: 'filesystem',
		});
		expect(back.map((o) => o.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		for (let i = 0; i < n; i++) expect(sha256(await readBinary(back[i].binary!.data))).toBe(sha256(randomBuffer(1000 + i, 100 + i)));
	});
});

describe('a failed upload leaves nothing behind', () => {
	it('the input failing mid-way: no object, no open multipart upload', async () => {
		const data = randomBuffer(20 * MiB, 15);
		const key = 'fail/broken-input.bin';
		const item = await binaryItem(Buffer.alloc(1), { fileName: 'b.bin', mode: 'filesystem' });
		item.binary!.data.bytes = data.length;
		let uploadStarted = false;
		const gate = async (sent: number) => {
			if (sent < 12 * MiB) return;
			// let the first parts reach the server, then break the input
			await eventually(async () => (uploadStarted = (await listOpenMultipartUploads(bucket)).some((u) => u.key === key)));
			throw new Error('disk read error (simulated)');
		};
		const error = await runWith({ params: upload(key, { partSize: 5 }), items: [item], binaryMode: 'filesystem' }, (ctx) => {
			ctx.helpers.getBinaryStream = async () => chunkedStream(data, 256 * 1024, (sent) => (sent >= 12 * MiB ? gate(sent) : undefined));
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(uploadStarted).toBe(true);
		expect(error?.message).toMatch(/simulated/);
		expect(await objectExists(bucket, key)).toBe(false);
		expect((await listOpenMultipartUploads(bucket)).filter((u) => u.key === key)).toEqual([]);
	});

	it('the execution cancelled mid-way: no object, no open multipart upload', async () => {
		const data = randomBuffer(20 * MiB, 16);
		const key = 'fail/cancelled.bin';
		const item = await binaryItem(Buffer.alloc(1), { fileName: 'c.bin', mode: 'filesystem' });
		item.binary!.data.bytes = data.length;
		const cancel = new AbortController();
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		const running = runWith({ params: upload(key, { partSize: 5 }), items: [item], binaryMode: 'filesystem', abortSignal: cancel.signal }, (ctx) => {
			ctx.helpers.getBinaryStream = async () => chunkedStream(data, 256 * 1024, (sent) => (sent >= 11 * MiB ? released : undefined));
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		// cancel once the multipart upload exists and has parts
		const open = await eventually(async () => (await listOpenMultipartUploads(bucket)).find((u) => u.key === key));
		expect(open).toBeDefined();
		await eventually(async () => ((await rawClient().send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: open!.uploadId }))).Parts ?? []).length >= 2);
		cancel.abort();
		release();
		const error = await running;
		expect(error).toBeDefined();
		// the node waits for the abort before it returns: nothing is left right away
		expect((await listOpenMultipartUploads(bucket)).filter((u) => u.key === key)).toEqual([]);
		expect(await objectExists(bucket, key)).toBe(false);
	});
});
