/**
 * Proves the test harness itself: the S3 server started by globalSetup and the helpers in
 * test/helpers (s3.ts: direct server access; context.ts: the fake n8n execution context).
 */
import {
	CreateMultipartUploadCommand,
	GetObjectCommand,
	ListBucketsCommand,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import { IncomingMessage } from 'http';
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as path from 'path';
import { Readable } from 'stream';

import {
	binaryItem,
	binaryStorageDir,
	createContext,
	prettyBytes,
	readBinary,
	runNode,
} from './helpers/context';
import {
	bucketExists,
	emptyAndDeleteBucket,
	getObjectBuffer,
	headObject,
	listAllKeys,
	listOpenMultipartUploads,
	objectExists,
	putObject,
	randomBuffer,
	rawClient,
	sha256,
	testConfig,
	testCredentials,
	uniqueBucket,
	uniqueBucketName,
} from './helpers/s3';

const MiB = 1024 * 1024;

async function filesUnder(dir: string): Promise<Array<{ file: string; size: number }>> {
	const out: Array<{ file: string; size: number }> = [];
	let entries: string[];
	try {
		entries = (await fsp.readdir(dir, { recursive: true })) as string[];
	} catch {
		return out;
	}
	for (const rel of entries) {
		const file = path.join(dir, rel);
		const st = await fsp.stat(file).catch(() => undefined);
		if (st?.isFile()) out.push({ file, size: st.size });
	}
	return out;
}

describe('the test S3 server', () => {
	it('is configured through S3_TEST_* and answers ListBuckets with the buckets we create', async () => {
		const cfg = testConfig();
		expect(cfg.endpoint).toMatch(/^https?:\/\/[^/]+$/);
		const bucket = await uniqueBucket('infra-list');
		expect(bucket).toMatch(/^infra-list-[a-z0-9]+-[0-9a-f]{8}$/);
		const res = await rawClient().send(new ListBucketsCommand({}));
		expect(res.$metadata.httpStatusCode).toBe(200);
		expect((res.Buckets ?? []).map((b) => b.Name)).toContain(bucket);
		expect(await bucketExists(bucket)).toBe(true);
		expect(await bucketExists(uniqueBucketName('never-made'))).toBe(false);
	});

	it('round-trips PutObject/GetObject byte for byte (unicode key, 3 MiB)', async () => {
		const bucket = await uniqueBucket('infra-rt');
		const body = randomBuffer(3 * MiB, 42);
		const key = 'dir/sub dir/naïve ünïcode ✓.bin';
		const put = await putObject(bucket, key, body, {
			contentType: 'application/x-test',
			metadata: { origin: 'infra' },
		});
		expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
		const back = await getObjectBuffer(bucket, key);
		expect(back.length).toBe(body.length);
		expect(sha256(back)).toBe(sha256(body));
		const head = await headObject(bucket, key);
		expect(head.ContentLength).toBe(body.length);
		expect(head.ContentType).toBe('application/x-test');
		expect(head.Metadata).toEqual({ origin: 'infra' });
		expect(await objectExists(bucket, key)).toBe(true);
		expect(await objectExists(bucket, 'missing-key')).toBe(false);
		await expect(headObject(bucket, 'missing-key')).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
		const range = await getObjectBuffer(bucket, key, { range: 'bytes=10-19' });
		expect(range.equals(body.subarray(10, 20))).toBe(true);
	});

	it('verifies signatures: a wrong secret gets SignatureDoesNotMatch, an unknown key InvalidAccessKeyId', async () => {
		const wrongSecret = rawClient({ secretAccessKey: `${testConfig().secretAccessKey}x` });
		await expect(wrongSecret.send(new ListBucketsCommand({}))).rejects.toMatchObject({
			name: 'SignatureDoesNotMatch',
			$metadata: { httpStatusCode: 403 },
		});
		const unknownKey = rawClient({ accessKeyId: 'AKIDOESNOTEXIST00000' });
		await expect(unknownKey.send(new ListBucketsCommand({}))).rejects.toMatchObject({
			name: 'InvalidAccessKeyId',
		});
	});

	it('lists keys by prefix, sees open multipart uploads, and empties and deletes a bucket', async () => {
		const bucket = await uniqueBucket('infra-clean');
		await Promise.all(['a/1', 'a/2', 'b/1', 'a/sub/3'].map((k) => putObject(bucket, k, k)));
		expect(await listAllKeys(bucket)).toEqual(['a/1', 'a/2', 'a/sub/3', 'b/1']);
		expect(await listAllKeys(bucket, 'a/')).toEqual(['a/1', 'a/2', 'a/sub/3']);

		const mpu = await rawClient().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));
		const open = await listOpenMultipartUploads(bucket);
		expect(open).toEqual([expect.objectContaining({ key: 'big.bin', uploadId: mpu.UploadId })]);

		await emptyAndDeleteBucket(bucket);
		expect(await bucketExists(bucket)).toBe(false);
		await expect(emptyAndDeleteBucket(bucket)).resolves.toBeUndefined(); // already gone is fine
	});

	it('testCredentials() is an s3StorageApi credential for the server', () => {
		const cfg = testConfig();
		expect(testCredentials()).toEqual({
			provider: 'other',
			accessKeyId: cfg.accessKeyId,
			secretAccessKey: cfg.secretAccessKey,
			sessionToken: '',
			region: cfg.region,
			endpoint: cfg.endpoint,
			forcePathStyle: true,
			ignoreSslIssues: false,
		});
		expect(testCredentials({ secretAccessKey: 'nope' }).secretAccessKey).toBe('nope');
	});
});

describe('the fake execution context: parameters and credentials', () => {
	const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

	it('reads parameters like n8n: dotted paths, fallbacks, "Could not get parameter", extractValue', () => {
		const ctx = createContext({
			params: {
				resource: 'object',
				bucketName: rl('my-bucket'),
				plainBucket: 'plain-bucket',
				options: { contentType: 'text/csv', metadata: { a: '1' } },
				literal: '=just text',
			},
		});
		expect(ctx.getNodeParameter('resource', 0)).toBe('object');
		expect(ctx.getNodeParameter('options.contentType', 0)).toBe('text/csv');
		expect(ctx.getNodeParameter('options.missing', 0, 'fb')).toBe('fb');
		expect(ctx.getNodeParameter('options', 0, {})).toEqual({ contentType: 'text/csv', metadata: { a: '1' } });
		expect(() => ctx.getNodeParameter('nope', 0)).toThrow('Could not get parameter');
		expect(ctx.getNodeParameter('bucketName', 0)).toEqual(rl('my-bucket'));
		expect(ctx.getNodeParameter('bucketName', 0, '', { extractValue: true })).toBe('my-bucket');
		expect(ctx.getNodeParameter('plainBucket', 0, '', { extractValue: true })).toBe('plain-bucket');
		expect(ctx.getNodeParameter('literal', 0)).toBe('just text');

		// values handed out are copies: the node cannot change the stored parameters
		(ctx.getNodeParameter('options', 0) as { contentType: string }).contentType = 'changed';
		expect(ctx.getNodeParameter('options.contentType', 0)).toBe('text/csv');
		expect(ctx.getNode()).toMatchObject({ name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1 });
	});

	it('takes one parameter set per item', () => {
		const ctx = createContext({
			items: [{ json: { n: 0 } }, { json: { n: 1 } }],
			params: [{ key: 'first.txt' }, { key: 'second.txt' }],
		});
		expect(ctx.getNodeParameter('key', 0)).toBe('first.txt');
		expect(ctx.getNodeParameter('key', 1)).toBe('second.txt');
		expect(ctx.getInputData()).toHaveLength(2);
		expect(() => createContext({ items: [{ json: {} }], params: [{}, {}] })).toThrow('2 parameter sets for 1 items');
	});

	it('with the node type: fills defaults, drops hidden parameters, unwraps resource locators by mode', () => {
		const description = {
			displayName: 'T',
			name: 's3Storage',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'T' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 's3StorageApi', required: true }],
			properties: [
				{ displayName: 'Operation', name: 'operation', type: 'options', default: 'upload', options: [{ name: 'Upload', value: 'upload' }, { name: 'Download', value: 'download' }] },
				{ displayName: 'Key', name: 'key', type: 'string', default: 'default-key' },
				{ displayName: 'Input Type', name: 'inputType', type: 'string', default: 'binary', displayOptions: { show: { operation: ['upload'] } } },
				{ displayName: 'Output Type', name: 'outputType', type: 'string', default: 'binary', displayOptions: { show: { operation: ['download'] } } },
				{
					displayName: 'Bucket',
					name: 'bucketName',
					type: 'resourceLocator',
					default: { mode: 'list', value: '' },
					modes: [
						{ displayName: 'List', name: 'list', type: 'list' },
						{ displayName: 'Name', name: 'name', type: 'string' },
						{ displayName: 'URL', name: 'url', type: 'string', extractValue: { type: 'regex', regex: '^https?://[^/]+/([^/]+)' } },
					],
				},
			],
		} as unknown as INodeTypeDescription;
		const nodeType = { description } as INodeType;
		const ctx = createContext({
			nodeType,
			params: { operation: 'download', outputType: 'text', inputType: 'text', bucketName: rl('https://s3.example.com/from-url/x', 'url') },
		});
		expect(ctx.getNodeParameter('key', 0)).toBe('default-key');
		expect(ctx.getNodeParameter('outputType', 0)).toBe('text');
		expect(() => ctx.getNodeParameter('inputType', 0)).toThrow('Could not get parameter'); // hidden for download
		expect(ctx.getNodeParameter('bucketName', 0, '', { extractValue: true })).toBe('from-url');
		const raw = createContext({ nodeType, applyDefaults: false, params: { operation: 'download' } });
		expect(() => raw.getNodeParameter('key', 0)).toThrow('Could not get parameter');
	});

	it('hands out the credential, refuses other credential types, and reports continueOnFail', async () => {
		const ctx = createContext({ params: {} });
		expect(await ctx.getCredentials('s3StorageApi')).toEqual(testCredentials());
		await expect(ctx.getCredentials('aws')).rejects.toThrow(NodeOperationError);
		const none = createContext({ params: {}, credentials: null });
		await expect(none.getCredentials('s3StorageApi')).rejects.toThrow('Node does not have any credentials set');
		expect(ctx.continueOnFail()).toBe(false);
		expect(createContext({ params: {}, continueOnFail: true }).continueOnFail()).toBe(true);
	});

	it('has n8n item helpers, a logger that records, and the cancel signal', () => {
		const controller = new AbortController();
		const ctx = createContext({ params: {}, abortSignal: controller.signal });
		expect(ctx.helpers.returnJsonArray([{ a: 1 }, { b: 2 }])).toEqual([{ json: { a: 1 } }, { json: { b: 2 } }]);
		expect(ctx.helpers.returnJsonArray({ a: 1 })).toEqual([{ json: { a: 1 } }]);
		expect(
			ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray({ a: 1 }), { itemData: { item: 3 } }),
		).toEqual([{ json: { a: 1 }, pairedItem: { item: 3 } }]);
		ctx.logger.warn('careful', { key: 'k' });
		expect(ctx.logs).toEqual([{ level: 'warn', message: 'careful', meta: { key: 'k' } }]);
		expect(ctx.logLines).toEqual(['warn: careful']);
		expect(ctx.getExecutionCancelSignal()?.aborted).toBe(false);
		controller.abort();
		expect(ctx.getExecutionCancelSignal()?.aborted).toBe(true);
		expect(createContext({ params: {} }).getExecutionCancelSignal()).toBeUndefined();
	});
});

describe('the fake execution context: binary data', () => {
	it('assertBinaryData throws n8n\'s NodeOperationError messages', () => {
		const ctx = createContext({
			items: [{ json: {} }, { json: {}, binary: { data: { data: '', mimeType: 'text/plain' } } }],
			params: {},
		});
		expect(() => ctx.helpers.assertBinaryData(0, 'data')).toThrow(
			"This operation expects the node's input data to contain a binary file 'data', but none was found [item 0]",
		);
		expect(() => ctx.helpers.assertBinaryData(1, 'file')).toThrow("The item has no binary field 'file' [item 1]");
		let thrown: unknown;
		try {
			ctx.helpers.assertBinaryData(1, 'file');
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(ctx.helpers.assertBinaryData(1, 'data').mimeType).toBe('text/plain');
	});

	it('memory mode: prepareBinaryData keeps base64 data and guesses like n8n-core', async () => {
		const ctx = createContext({ params: {} });
		const pdf = await ctx.helpers.prepareBinaryData(Buffer.from('%PDF-1.4 hi'), 'reports/2024/q1.pdf');
		expect(pdf).toEqual({
			mimeType: 'application/pdf',
			fileType: 'pdf',
			fileExtension: 'pdf',
			directory: 'reports/2024',
			fileName: 'q1.pdf',
			data: Buffer.from('%PDF-1.4 hi').toString('base64'),
			fileSize: '11 B',
			bytes: 11,
		});
		expect(pdf.id).toBeUndefined();
		const png = await ctx.helpers.prepareBinaryData(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
		expect([png.mimeType, png.fileExtension, png.fileType]).toEqual(['image/png', 'png', 'image']);
		const unknown = await ctx.helpers.prepareBinaryData(Readable.from([Buffer.from('stream')]));
		expect([unknown.mimeType, unknown.fileExtension]).toEqual(['text/plain', undefined]); // n8n: extension before the fallback
		expect(await readBinary(unknown)).toEqual(Buffer.from('stream'));
		expect(prettyBytes(12 * MiB)).toBe('12.6 MB');
		expect(prettyBytes(1500)).toBe('1.5 kB');
	});

	it('filesystem mode: a 12 MiB stream is written as it arrives and keeps every byte', async () => {
		const ctx = createContext({ params: {}, binaryMode: 'filesystem' });
		const expected = createHash('sha256');
		let onDiskWhileStreaming = 0;
		async function* produce() {
			for (let i = 0; i < 12; i++) {
				if (i === 8) {
					// 8 MiB produced so far: a streaming writer has put (most of) them on disk already
					onDiskWhileStreaming = Math.max(0, ...(await filesUnder(binaryStorageDir())).map((f) => f.size));
				}
				const chunk = randomBuffer(MiB, i + 1);
				expected.update(chunk);
				yield chunk;
			}
		}
		const bin = await ctx.helpers.prepareBinaryData(Readable.from(produce()), 'big file.bin', 'application/octet-stream');
		const digest = expected.digest('hex');

		expect(onDiskWhileStreaming).toBeGreaterThanOrEqual(4 * MiB);
		expect(bin).toMatchObject({
			data: 'filesystem-v2',
			mimeType: 'application/octet-stream',
			fileName: 'big file.bin',
			fileExtension: 'bin',
			fileSize: '12.6 MB',
			bytes: 12 * MiB,
		});
		expect(bin.id).toMatch(/^filesystem-v2:workflows\/[^/]+\/executions\/[^/]+\/binary_data\/[0-9a-f-]{36}$/);
		expect(sha256(await readBinary(bin))).toBe(digest);

		const stream = await ctx.helpers.getBinaryStream(bin.id!, 256 * 1024);
		const streamed = createHash('sha256');
		let maxChunk = 0;
		for await (const chunk of stream) {
			maxChunk = Math.max(maxChunk, (chunk as Buffer).length);
			streamed.update(chunk as Buffer);
		}
		expect(streamed.digest('hex')).toBe(digest);
		expect(maxChunk).toBeLessThanOrEqual(256 * 1024);
		expect(await ctx.helpers.getBinaryMetadata(bin.id!)).toEqual({
			mimeType: 'application/octet-stream',
			fileName: 'big file.bin',
			fileSize: 12 * MiB,
		});
	});

	it('binaryItem builds input items in either mode, and getBinaryDataBuffer reads them back', async () => {
		const content = randomBuffer(200_000, 7);
		for (const mode of ['memory', 'filesystem'] as const) {
			const item = await binaryItem(content, { fileName: 'x.json', mode, json: { mode } });
			expect(item.json).toEqual({ mode });
			expect(item.binary!.data.mimeType).toBe('application/json');
			expect(item.binary!.data.id === undefined).toBe(mode === 'memory');
			const ctx = createContext({ items: [item], params: {} });
			const back = await ctx.helpers.getBinaryDataBuffer(0, 'data');
			expect(sha256(back)).toBe(sha256(content));
			expect(sha256(await readBinary(item.binary!.data))).toBe(sha256(content));
		}
	});

	it('like n8n, a stream from the S3 SDK (an IncomingMessage) gets its MIME type from the response', async () => {
		const bucket = await uniqueBucket('infra-im');
		await rawClient().send(
			new PutObjectCommand({ Bucket: bucket, Key: 'noext', Body: 'hello', ContentType: 'application/x-custom' }),
		);
		const res = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: 'noext' }));
		expect(res.Body).toBeInstanceOf(IncomingMessage);
		const ctx = createContext({ params: {} });
		const bin = await ctx.helpers.prepareBinaryData(res.Body as Readable);
		expect(bin.mimeType).toBe('application/x-custom');
		// and, also like n8n, without a file name it takes one from the request path: pass one!
		expect(bin.fileName).toBeDefined();
		expect(await readBinary(bin)).toEqual(Buffer.from('hello'));
	});
});

describe('runNode', () => {
	const description = {
		displayName: 'Echo',
		name: 's3Storage',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Echo' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 's3StorageApi', required: true }],
		properties: [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hello' }],
	} as unknown as INodeTypeDescription;

	it('runs execute() with the fake context and returns the first output and the context', async () => {
		const node: INodeType = {
			description,
			async execute(this: IExecuteFunctions) {
				const out: INodeExecutionData[] = [];
				const creds = await this.getCredentials('s3StorageApi');
				for (let i = 0; i < this.getInputData().length; i++) {
					this.logger.info(`item ${i}`);
					out.push(
						...this.helpers.constructExecutionMetaData(
							this.helpers.returnJsonArray({ greeting: this.getNodeParameter('greeting', i) as string, endpoint: creds.endpoint as string }),
							{ itemData: { item: i } },
						),
					);
				}
				return [out];
			},
		};
		const { output, ctx } = await runNode(node, { items: [{ json: {} }, { json: {} }], params: {} });
		expect(output).toEqual([
			{ json: { greeting: 'hello', endpoint: testConfig().endpoint }, pairedItem: { item: 0 } },
			{ json: { greeting: 'hello', endpoint: testConfig().endpoint }, pairedItem: { item: 1 } },
		]);
		expect(ctx.logLines).toEqual(['info: item 0', 'info: item 1']);
	});

	it('rejects output n8n would not accept', async () => {
		const bad: INodeType = {
			description,
			async execute() {
				return [[{ json: 'not an object' } as unknown as INodeExecutionData]];
			},
		};
		await expect(runNode(bad, { params: {} })).rejects.toThrow('"json" must be an object');
	});
});
