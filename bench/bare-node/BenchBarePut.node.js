'use strict';
/*
 * Benchmark fixture, not part of the package: the thinnest n8n node that uploads each item's
 * binary "data" with one PutObject, for the small-upload comparison of bench/run.js
 * (`--contenders=ours,sdk,bare`). Per item it does what any n8n node has to: read Key with
 * getNodeParameter (an expression is resolved by n8n), read the binary with n8n's
 * helpers.getBinaryDataBuffer, and send the request; no checks, no options, no error handling
 * per item. It uses the S3 Storage node's own client (dist/.../transport/client.js: the same
 * SDK settings, keep-alive agents and cached middleware) and its item scheduler (runBounded),
 * `concurrency` items at once,
 * so the gap between it and the plain SDK script is what n8n costs any node, and the gap
 * between it and the S3 Storage node is what the node adds.
 * Loaded by bench/run.js from a symlink in the n8n user folder's nodes/node_modules.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const need = (m) => require(require.resolve(m, { paths: [ROOT] }));
const { PutObjectCommand } = need('@aws-sdk/client-s3');
const { createS3Client } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'transport', 'client.js'));
const { runBounded } = require(path.join(ROOT, 'dist', 'nodes', 'shared', 'helpers', 'concurrency.js'));

class BenchBarePut {
	constructor() {
		this.description = {
			displayName: 'Bench: bare PutObject',
			name: 'benchBarePut',
			group: ['output'],
			version: 1,
			description: 'Benchmark fixture: PutObject of each item\'s binary "data"',
			defaults: { name: 'Bare PutObject' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 's3StorageApi', required: true }],
			properties: [
				{ displayName: 'Bucket', name: 'bucket', type: 'string', default: '' },
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 16 },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const client = createS3Client(await this.getCredentials('s3StorageApi'));
		const Bucket = this.getNodeParameter('bucket', 0);
		const concurrency = this.getNodeParameter('concurrency', 0);
		const out = new Array(items.length);
		try {
			// the S3 Storage node's own item scheduler (its router's), `concurrency` items at once
			await runBounded(items.length, Math.max(1, concurrency), async (i) => {
				const Key = this.getNodeParameter('key', i);
				const Body = await this.helpers.getBinaryDataBuffer(i, 'data');
				const r = await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: items[i].binary.data.mimeType }));
				out[i] = { json: { bucket: Bucket, key: Key, etag: r.ETag }, pairedItem: { item: i } };
			});
		} finally {
			client.destroy();
		}
		return [out];
	}
}

module.exports = { BenchBarePut };
