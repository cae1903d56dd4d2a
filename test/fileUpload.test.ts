/**
 * Uploads of files in n8n's filesystem binary store (issue 15): the node reads each part from
 * its own offset of the stored file into a reused part buffer (helpers/upload.ts
 * uploadFileInParts) instead of streaming the file through lib-storage. Checked against the
 * real S3 server: the bytes, the part layout, that the stream is never read, the fallback to
 * streaming when the file does not match its metadata, and that a failed or cancelled upload
 * leaves nothing behind (the part cut / retried case is in helpers/faultScenarios.ts).
 */
import { GetObjectTaggingCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { binaryItem, createContext, loadCredentialType, type FakeExecuteFunctions } from './helpers/context';
import { FaultProxy, uploadPart } from './helpers/faultProxy';
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
	testConfig,
	testCredentials,
	uniqueBucket,
} from './helpers/s3';

const MiB = 1024 * 1024;
let bucket: string;
let proxy: FaultProxy;

beforeAll(async () => {
	bucket = await uniqueBucket('fileup');
	proxy = await FaultProxy.start(testConfig().endpoint, { maxStallMs: 30_000 });
});
afterAll(async () => {
	await proxy?.close();
	await emptyAndDeleteBucket(bucket);
});
afterEach(() => {
	proxy.reset();
});

const upload = (key: string, options: INodeParameters = {}): INodeParameters => ({
	resource: 'object',
	operation: 'upload',
	bucketName: rl(bucket),
	key: rl(key, 'key'),
	options,
});

async function runWith(
	options: { params: INodeParameters | INodeParameters[]; items: INodeExecutionData[]; abortSignal?: AbortSignal; viaProxy?: boolean },
	patch: (ctx: FakeExecuteFunctions) => void = () => {},
): Promise<INodeExecutionData[]> {
	const ctx = createContext({
		...options,
		binaryMode: 'filesystem',
		nodeType: node,
		credentialType: loadCredentialType(),
		credentials: options.viaProxy ? testCredentials({ endpoint: proxy.endpoint }) : undefined,
	});
	patch(ctx);
	const out = (await node.execute!.call(ctx)) as INodeExecutionData[][];
	return out[0];
}

/** Makes the binary store's stream fail if anyone reads it (the parts must come from the file). */
const streamMustNotBeRead = (ctx: FakeExecuteFunctions, opened: string[]) => {
	ctx.helpers.getBinaryStream = async () => {
		opened.push('stream');
		return new Readable({
			read() {
				this.destroy(new Error('the stream was read'));
			},
		});
	};
};

/** Until `check()` is truthy (polls every 100 ms, up to `ms`). */
async function eventually<T>(check: () => Promise<T>, ms = 20_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await check();
		if (v || Date.now() > end) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('a file in the filesystem binary store is uploaded part by part from the file', () => {
	it('byte for byte, in parts of the part size, without reading the store\'s stream', async () => {
		const data = randomBuffer(23 * MiB + 777, 21);
		const opened: string[] = [];
		const [out] = await runWith(
			{ params: upload('file/big.bin', { partSize: 5, queueSize: 3 }), items: [await binaryItem(data, { fileName: 'big.bin', mode: 'filesystem' })] },
			(ctx) => streamMustNotBeRead(ctx, opened),
		);
		expect(out.json).toMatchObject({ bucket, key: 'file/big.bin', size: data.length, contentType: 'application/octet-stream' });
		expect(out.json.etag).toMatch(/^[0-9a-f]{32}-5$/); // 5 + 5 + 5 + 5 + 3 MiB
		expect((await headObject(bucket, 'file/big.bin')).ContentLength).toBe(data.length);
		expect(sha256(await getObjectBuffer(bucket, 'file/big.bin'))).toBe(sha256(data));
	});

	it.each(['filesystem', 'memory'] as const)(
		'keeps the object settings of a multipart upload (%s binary): content type, metadata, tags (set after completion: Ceph RGW ignores them on CreateMultipartUpload)',
		async (mode) => {
			const data = randomBuffer(6 * MiB, 22);
			const key = `file/with-meta-${mode}.csv`;
			const [out] = await runWith({
				params: upload(key, {
					partSize: 5,
					metadata: { metadataValues: [{ name: 'origin', value: 'file-parts' }] },
					tags: { tag: [{ key: 'team', value: 'data eng' }, { key: 'a&b', value: 'x=y' }] },
				}),
				items: [await binaryItem(data, { fileName: 'x.csv', mode })],
			});
			expect(out.json.etag).toMatch(/-2$/); // multipart: 5 + 1 MiB
			const head = await headObject(bucket, key);
			expect(head.ContentType).toBe('text/csv');
			expect(head.Metadata).toEqual({ origin: 'file-parts' });
			expect(head.ContentLength).toBe(data.length);
			const tagging = await rawClient().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
			expect([...(tagging.TagSet ?? [])].sort((x, y) => String(x.Key).localeCompare(String(y.Key)))).toEqual([
				{ Key: 'a&b', Value: 'x=y' },
				{ Key: 'team', Value: 'data eng' },
			]);
		},
	);

	it('a stored file whose size differs from its metadata is streamed instead (the stream is the truth)', async () => {
		const data = randomBuffer(11 * MiB + 5, 23);
		const item = await binaryItem(Buffer.alloc(3), { fileName: 'm.bin', mode: 'filesystem' });
		item.binary!.data.bytes = data.length; // the store's file has 3 bytes: not used for parts
		const [out] = await runWith({ params: upload('file/mismatch.bin', { partSize: 5 }), items: [item] }, (ctx) => {
			ctx.helpers.getBinaryStream = async () => Readable.from([data.subarray(0, 4 * MiB), data.subarray(4 * MiB)]);
		});
		expect(out.json.size).toBe(data.length);
		expect(sha256(await getObjectBuffer(bucket, 'file/mismatch.bin'))).toBe(sha256(data));
	});
});

describe('a failed file upload leaves nothing behind', () => {
	it('the file shrinking under the upload: fails saying so, aborted, no object', async () => {
		const data = randomBuffer(16 * MiB, 24);
		const key = 'file/shrinks.bin';
		const item = await binaryItem(data, { fileName: 's.bin', mode: 'filesystem' });
		const error = await runWith({ params: upload(key, { partSize: 5, queueSize: 1 }), items: [item] }, (ctx) => {
			const { getBinaryStream, getBinaryPath } = ctx.helpers;
			// called after the size check: cut the file to 7 MiB, so part 2 runs out of bytes
			ctx.helpers.getBinaryStream = async (id: string, chunk?: number) => {
				await fsp.truncate(getBinaryPath(id), 7 * MiB);
				return await getBinaryStream(id, chunk);
			};
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error?.message).toMatch(/shorter than expected: 7340032 of 16777216 bytes/);
		expect(await objectExists(bucket, key)).toBe(false);
		expect((await listOpenMultipartUploads(bucket)).filter((u) => u.key === key)).toEqual([]);
	});

	it('the execution cancelled while a part hangs: returns at once, aborted, no object, no open upload', async () => {
		const data = randomBuffer(26 * MiB, 25);
		const key = 'file/cancelled.bin';
		// parts 1 and 2 go through, part 3 gets no answer
		proxy.addRule({ match: uploadPart(3), action: { kind: 'stall' }, label: 'stall part 3' });
		const cancel = new AbortController();
		const started = Date.now();
		const running = runWith({ params: upload(key, { partSize: 5, queueSize: 1 }), items: [await binaryItem(data, { fileName: 'c.bin', mode: 'filesystem' })], abortSignal: cancel.signal, viaProxy: true }).then(
			() => undefined,
			(e: Error) => e,
		);
		const open = await eventually(async () => (await listOpenMultipartUploads(bucket)).find((u) => u.key === key));
		expect(open).toBeDefined();
		await eventually(async () => proxy.count((r) => r.fault === 'stall part 3') > 0);
		const parts = await rawClient().send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: open!.uploadId }));
		expect((parts.Parts ?? []).map((p) => p.PartNumber)).toEqual([1, 2]);
		const cancelledAt = Date.now();
		cancel.abort();
		const error = await running;
		expect(error?.message).toMatch(/cancel/i);
		expect(Date.now() - cancelledAt).toBeLessThan(10_000); // not the 30 s stall
		expect(Date.now() - started).toBeLessThan(60_000);
		// the node waits for AbortMultipartUpload before it returns: nothing is left right away
		expect(proxy.count((r) => r.method === 'DELETE' && r.query.get('uploadId') === open!.uploadId)).toBeGreaterThanOrEqual(1);
		expect((await listOpenMultipartUploads(bucket)).filter((u) => u.key === key)).toEqual([]);
		expect(await objectExists(bucket, key)).toBe(false);
	});
});

describe('many small uploads: the per-item work', () => {
	it('parameters without expressions are resolved once per execution, each item is one PutObject, small stored files are read directly', async () => {
		const n = 20;
		const items: INodeExecutionData[] = [];
		for (let i = 0; i < n; i++) items.push(await binaryItem(randomBuffer(4096, 300 + i), { fileName: `s${i}.txt`, mode: 'filesystem' }));
		const resolved = new Map<string, number>();
		let rawReads = 0;
		const viaHelper: string[] = [];
		const out = await runWith(
			{ params: upload('small/same-key.txt', { concurrency: 4, metadata: { metadataValues: [{ name: 'k', value: 'v' }] } }), items, viaProxy: true },
			(ctx) => {
				const get = ctx.getNodeParameter.bind(ctx);
				ctx.getNodeParameter = ((name: string, itemIndex: number, fallback?: unknown, options?: { rawExpressions?: boolean }) => {
					if (options?.rawExpressions) rawReads++;
					else resolved.set(name, (resolved.get(name) ?? 0) + 1);
					return get(name, itemIndex, fallback, options as never);
				}) as typeof ctx.getNodeParameter;
				const read = ctx.helpers.getBinaryDataBuffer;
				ctx.helpers.getBinaryDataBuffer = async (...args: Parameters<typeof read>) => {
					viaHelper.push('buffer');
					return await read(...args);
				};
			},
		);
		expect(out).toHaveLength(n);
		expect(out.every((o) => o.json.size === 4096 && /^[0-9a-f]{32}$/.test(String(o.json.etag)))).toBe(true);
		// once each (the router reads resource, operation and options for item 0 itself)
		for (const name of ['bucketName', 'key', 'inputType', 'binaryPropertyName']) expect([name, resolved.get(name)]).toEqual([name, 1]);
		expect(resolved.get('options')).toBeLessThanOrEqual(2);
		// whether a parameter holds an expression comes from the saved parameters, not a read per item
		expect(rawReads).toBe(0);
		expect(viaHelper).toEqual([]); // read with open/read/close, not n8n's six file operations
		// one request per item: a PutObject, no HeadObject or second request
		expect(proxy.count()).toBe(n);
		expect(proxy.count((r) => r.method === 'PUT' && !r.query.has('partNumber'))).toBe(n);
		expect(sha256(await getObjectBuffer(bucket, 'small/same-key.txt'))).toMatch(/^[0-9a-f]{64}$/);
	});

	it('a parameter that differs per item (an expression in n8n) is resolved for every item', async () => {
		const items: INodeExecutionData[] = [];
		for (let i = 0; i < 5; i++) items.push(await binaryItem(`item ${i}`, { fileName: `p${i}.txt`, mode: 'filesystem' }));
		const out = await runWith({ params: items.map((_, i) => upload(`small/per-item-${i}.txt`)), items });
		expect(out.map((o) => o.json.key)).toEqual(items.map((_, i) => `small/per-item-${i}.txt`));
		for (let i = 0; i < 5; i++) expect((await getObjectBuffer(bucket, `small/per-item-${i}.txt`)).toString()).toBe(`item ${i}`);
	});
});
