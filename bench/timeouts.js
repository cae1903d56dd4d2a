#!/usr/bin/env node
'use strict';
/*
 * How long does an S3 server stay silent (no byte on the socket) while it works? This is what
 * the node's idle timeout ("Request Timeout", nodes/shared/transport/client.ts
 * DEFAULT_REQUEST_TIMEOUT_MS) must outlast. Measures, through a TCP pass-through that timestamps
 * every chunk the server sends:
 *   - CompleteMultipartUpload of N tiny parts (the per-part work of a 10,000-part upload)
 *   - CompleteMultipartUpload, CopyObject (COPY and REPLACE metadata) of a large object
 *   - UploadPartCopy of the whole object as one part
 *   - UploadPartCopy of 512 MiB ranges, 4 at once (the node's copy above 5 GiB,
 *     nodes/shared/helpers/multipartCopy.ts)
 *
 * Needs a server that accepts 1-byte parts for the first case, e.g. a throw-away RGW:
 *   eval "$(RGW_DIR=/tmp/rgw-timeouts RGW_PORT=27480 MON_PORT=27300 OSD_PORT_MIN=27800 \
 *           CEPH_ARGS=--rgw-multipart-min-part-size=1 scripts/rgw-up.sh)"
 *   node bench/timeouts.js [--parts=10000] [--size-mib=1024] [--copy-gib=2]
 *   RGW_DIR=/tmp/rgw-timeouts scripts/rgw-down.sh
 * (S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY as rgw-up.sh exports them.)
 * Prints one JSON line per case. Memory: the RGW's memstore keeps ≈ size + copy size in RAM.
 */
const net = require('net');
const {
	S3Client, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
	CopyObjectCommand, UploadPartCopyCommand, AbortMultipartUploadCommand,
} = require('@aws-sdk/client-s3');

const arg = (name, def) => Number((process.argv.find((a) => a.startsWith(`--${name}=`)) ?? `=${def}`).split('=')[1]);
const endpoint = new URL(process.env.S3_ENDPOINT ?? 'http://127.0.0.1:7480');
const MiB = 1024 * 1024;

let current = null;
const proxy = net.createServer((c) => {
	const u = net.connect(Number(endpoint.port), endpoint.hostname);
	c.on('data', (d) => u.write(d));
	u.on('data', (d) => {
		for (const w of current ?? []) w.chunks.push(performance.now());
		c.write(d);
	});
	for (const [a, b] of [[c, u], [u, c]]) {
		a.on('error', () => b.destroy());
		a.on('close', () => b.destroy());
	}
});

/** Runs fn; returns how long the server was silent: request sent → first byte, and the longest gap after. */
async function silent(fn) {
	const w = { chunks: [] };
	(current ??= []).push(w);
	const t0 = performance.now();
	await fn();
	const t1 = performance.now();
	current.splice(current.indexOf(w), 1);
	let gap = 0;
	for (let i = 1; i < w.chunks.length; i++) gap = Math.max(gap, w.chunks[i] - w.chunks[i - 1]);
	return { totalMs: Math.round(t1 - t0), firstByteMs: Math.round((w.chunks[0] ?? t1) - t0), longestGapAfterMs: Math.round(gap) };
}
const report = (label, r) => console.log(JSON.stringify({ label, ...r }));

(async () => {
	await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
	const client = new S3Client({
		endpoint: `http://127.0.0.1:${proxy.address().port}`, region: 'us-east-1', forcePathStyle: true,
		credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
		requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
		requestHandler: { httpAgent: { maxSockets: 32, keepAlive: true } },
	});
	const Bucket = `timeouts-${Date.now()}`;
	await client.send(new CreateBucketCommand({ Bucket }));

	const nParts = arg('parts', 10000);
	const many = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'many' }));
	const parts = new Array(nParts);
	let next = 0;
	await Promise.all(Array.from({ length: 32 }, async () => {
		while (next < nParts) {
			const n = ++next;
			const r = await client.send(new UploadPartCommand({ Bucket, Key: 'many', UploadId: many.UploadId, PartNumber: n, Body: Buffer.alloc(1024, n % 251) }));
			parts[n - 1] = { PartNumber: n, ETag: r.ETag };
		}
	}));
	report(`CompleteMultipartUpload, ${nParts} parts of 1 KiB`, await silent(() => client.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'many', UploadId: many.UploadId, MultipartUpload: { Parts: parts } }))));

	const size = arg('size-mib', 1024) * MiB;
	const big = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big' }));
	const bp = [];
	const chunk = Buffer.alloc(64 * MiB, 7);
	for (let i = 0; i * chunk.length < size; i++) {
		const r = await client.send(new UploadPartCommand({ Bucket, Key: 'big', UploadId: big.UploadId, PartNumber: i + 1, Body: chunk }));
		bp.push({ PartNumber: i + 1, ETag: r.ETag });
	}
	report(`CompleteMultipartUpload, ${bp.length} × 64 MiB`, await silent(() => client.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big', UploadId: big.UploadId, MultipartUpload: { Parts: bp } }))));
	report(`CopyObject ${size / MiB} MiB`, await silent(() => client.send(new CopyObjectCommand({ Bucket, Key: 'big-copy', CopySource: `${Bucket}/big` }))));
	report(`CopyObject ${size / MiB} MiB, REPLACE metadata`, await silent(() => client.send(new CopyObjectCommand({ Bucket, Key: 'big-copy2', CopySource: `${Bucket}/big`, MetadataDirective: 'REPLACE', Metadata: { a: 'b' } }))));
	const one = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'partcopy' }));
	report(`UploadPartCopy of ${size / MiB} MiB as one part`, await silent(() => client.send(new UploadPartCopyCommand({ Bucket, Key: 'partcopy', UploadId: one.UploadId, PartNumber: 1, CopySource: `${Bucket}/big` }))));
	await client.send(new AbortMultipartUploadCommand({ Bucket, Key: 'partcopy', UploadId: one.UploadId }));

	// the node's copy above 5 GiB: 512 MiB ranges, 4 at once, from a copy-gib source
	const copySize = arg('copy-gib', 2) * 1024 * MiB;
	const src = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'src' }));
	const sp = [];
	for (let i = 0; i * chunk.length < copySize; i++) {
		const r = await client.send(new UploadPartCommand({ Bucket, Key: 'src', UploadId: src.UploadId, PartNumber: i + 1, Body: chunk }));
		sp.push({ PartNumber: i + 1, ETag: r.ETag });
	}
	await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'src', UploadId: src.UploadId, MultipartUpload: { Parts: sp } }));
	const part = 512 * MiB;
	const dst = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dst' }));
	const n = Math.ceil(copySize / part);
	const results = [];
	let k = 0;
	await Promise.all(Array.from({ length: 4 }, async () => {
		while (k < n) {
			const i = k++;
			results.push(await silent(() => client.send(new UploadPartCopyCommand({ Bucket, Key: 'dst', UploadId: dst.UploadId, PartNumber: i + 1, CopySource: `${Bucket}/src`, CopySourceRange: `bytes=${i * part}-${Math.min(copySize, (i + 1) * part) - 1}` }))));
		}
	}));
	report(`UploadPartCopy ${n} × 512 MiB, 4 at once (longest)`, results.sort((a, b) => b.firstByteMs - a.firstByteMs)[0]);
	await client.send(new AbortMultipartUploadCommand({ Bucket, Key: 'dst', UploadId: dst.UploadId }));
	client.destroy();
	proxy.close();
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
