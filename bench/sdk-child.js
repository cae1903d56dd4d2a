'use strict';
/*
 * The "plain SDK script" of the benchmark: what a hand-written Node.js program does with the
 * AWS SDK v3 (the package's own @aws-sdk/client-s3 and @aws-sdk/lib-storage), without n8n.
 * Started by bench/run.js in its own process so its memory can be measured:
 *
 *   node bench/sdk-child.js upload <file> <bucket> <key> <partSizeMiB> <queueSize>   (0: lib-storage's default)
 *   node bench/sdk-child.js download <bucket> <key> <file>
 *   node bench/sdk-child.js list <bucket> <prefix>      (paginateListObjectsV2; "bytes" = keys listed)
 *   node bench/sdk-child.js small <bucket> <prefix> <count> <concurrency>
 *        <count> PutObjects of 4 KiB text, <concurrency> at once ("bytes" = objects stored;
 *        also prints cpuMs, the process's CPU time during the work)
 *
 * Server from the environment: BENCH_S3_ENDPOINT, BENCH_S3_ACCESS_KEY_ID,
 * BENCH_S3_SECRET_ACCESS_KEY, BENCH_S3_REGION. Prints one JSON line { ms, bytes } where ms is
 * the time of the transfer itself (from before the first request to the last byte; process
 * start-up and module loading excluded).
 */
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

const ROOT = path.resolve(__dirname, '..');
const need = (m) => require(require.resolve(m, { paths: [ROOT] }));
const { S3Client, GetObjectCommand, PutObjectCommand, paginateListObjectsV2 } = need('@aws-sdk/client-s3');
const { Upload } = need('@aws-sdk/lib-storage');

const e = process.env;
const client = new S3Client({
	endpoint: e.BENCH_S3_ENDPOINT,
	region: e.BENCH_S3_REGION || 'us-east-1',
	forcePathStyle: true,
	credentials: { accessKeyId: e.BENCH_S3_ACCESS_KEY_ID, secretAccessKey: e.BENCH_S3_SECRET_ACCESS_KEY },
	// Ceph RGW (and most S3-compatible servers) reject the SDK's default aws-chunked CRC32 trailers
	requestChecksumCalculation: 'WHEN_REQUIRED',
	responseChecksumValidation: 'WHEN_REQUIRED',
});

async function main() {
	const [cmd, ...a] = process.argv.slice(2);
	const started = process.hrtime.bigint();
	const cpu0 = process.cpuUsage();
	let bytes;
	if (cmd === 'upload') {
		const [file, Bucket, Key, partSizeMiB, queueSize] = a;
		bytes = fs.statSync(file).size;
		const upload = new Upload({
			client,
			params: { Bucket, Key, Body: fs.createReadStream(file), ContentLength: bytes, ContentType: 'application/octet-stream' },
			// 0 = lib-storage's defaults (5 MiB parts, 4 in flight), as a plain script has them
			...(Number(partSizeMiB) > 0 ? { partSize: Number(partSizeMiB) * 1024 * 1024 } : {}),
			...(Number(queueSize) > 0 ? { queueSize: Number(queueSize) } : {}),
			leavePartsOnError: false,
		});
		await upload.done();
	} else if (cmd === 'download') {
		const [Bucket, Key, file] = a;
		const res = await client.send(new GetObjectCommand({ Bucket, Key }));
		await pipeline(res.Body, fs.createWriteStream(file));
		bytes = fs.statSync(file).size;
	} else if (cmd === 'list') {
		const [Bucket, Prefix] = a;
		const keys = [];
		for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket, Prefix })) for (const o of page.Contents ?? []) keys.push(o);
		bytes = keys.length;
	} else if (cmd === 'small') {
		const [Bucket, Prefix, count, concurrency] = a;
		const n = Number(count);
		let next = 0;
		bytes = 0;
		const lane = async () => {
			while (next < n) {
				const name = `obj-${String(next++).padStart(5, '0')}.txt`;
				// the same 4 KiB text as the n8n workflows' items
				const Body = `${name} `.repeat(Math.ceil(4096 / (name.length + 1))).slice(0, 4096);
				await client.send(new PutObjectCommand({ Bucket, Key: `${Prefix}${name}`, Body, ContentType: 'text/plain' }));
				bytes++;
			}
		};
		await Promise.all(Array.from({ length: Math.max(1, Number(concurrency)) }, lane));
	} else {
		throw new Error(`unknown command ${cmd}`);
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpu0);
	process.stdout.write(`${JSON.stringify({ ms, bytes, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
	client.destroy();
}

main().catch((err) => {
	process.stderr.write(`${err.stack || err}\n`);
	process.exit(1);
});
