'use strict';
/*
 * The benchmark's credentials and workflows (imported once into a cached n8n database by
 * e2e/lib/harness.js). Everything that changes between runs comes from the environment of the
 * n8n process ({{ $env.BENCH_* }}), so the database does not depend on ports, keys or sizes:
 *   E2E_S3_ENDPOINT / BENCH_COUNT_ENDPOINT   the RGW / the request-counting proxy in front of it
 *   (the upload workflows' input file is hard-linked into n8n's binary store: STORED_INPUT_ID)
 *   BENCH_KEY      key the upload workflows write and the download workflows read
 */

const CRED = {
	ours: { id: 'benchOursCred', name: 'bench S3 Storage' },
	oursCount: { id: 'benchOursCountCred', name: 'bench S3 Storage (counted)' },
	builtin: { id: 'benchBuiltinCred', name: 'bench S3 (built-in)' },
	builtinCount: { id: 'benchBuiltinCountCred', name: 'bench S3 (built-in, counted)' },
};

function credentials() {
	const ours = (c, endpointVar) => ({
		...c,
		type: 's3StorageApi',
		data: {
			provider: 'other',
			endpoint: `={{ $env.${endpointVar} }}`,
			accessKeyId: '={{ $env.E2E_S3_ACCESS_KEY_ID }}',
			secretAccessKey: '={{ $env.E2E_S3_SECRET_ACCESS_KEY }}',
			region: '={{ $env.E2E_S3_REGION }}',
			forcePathStyle: true,
			ignoreSslIssues: false,
		},
	});
	// n8n's own S3 node (n8n-nodes-base.s3): credential type "s3"; a custom endpoint needs forcePathStyle
	const builtin = (c, endpointVar) => ({
		...c,
		type: 's3',
		data: {
			endpoint: `={{ $env.${endpointVar} }}`,
			region: '={{ $env.E2E_S3_REGION }}',
			accessKeyId: '={{ $env.E2E_S3_ACCESS_KEY_ID }}',
			secretAccessKey: '={{ $env.E2E_S3_SECRET_ACCESS_KEY }}',
			forcePathStyle: true,
			ignoreSSLIssues: false,
		},
	});
	return [
		ours(CRED.ours, 'E2E_S3_ENDPOINT'),
		ours(CRED.oursCount, 'BENCH_COUNT_ENDPOINT'),
		builtin(CRED.builtin, 'E2E_S3_ENDPOINT'),
		builtin(CRED.builtinCount, 'BENCH_COUNT_ENDPOINT'),
	];
}

let nodeSeq = 0;
const nodeId = () => `00000000-0000-4000-8000-${String(++nodeSeq).padStart(12, '0')}`;

/**
 * Every workflow waits a moment first: `n8n execute-batch` starts executing while n8n is still
 * finishing its start-up (task runner, module loading, the first big garbage collections), and
 * a user's n8n is a long-running process; the measured node should see a settled n8n.
 */
const settle = { name: 'Let n8n settle', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: 3, unit: 'seconds' } };

/** A linear workflow: Manual Trigger -> Let n8n settle (3 s) -> nodes[0] -> nodes[1] ... */
function linear(id, name, nodes) {
	const all = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, settle, ...nodes].map((n, i) => ({
		id: nodeId(),
		position: [i * 220, 300],
		...n,
	}));
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, nodes: all, connections, settings: { executionOrder: 'v1' }, active: false, pinData: {} };
}

const rl = (value, mode = 'name') => ({ __rl: true, value, mode });
const oursNode = (name, parameters, cred = CRED.ours) => ({
	name,
	type: 'n8n-nodes-s3-storage.s3Storage',
	typeVersion: 1,
	parameters,
	credentials: { s3StorageApi: cred },
});
const builtinNode = (name, parameters, cred = CRED.builtin) => ({
	name,
	type: 'n8n-nodes-base.s3',
	typeVersion: 1,
	parameters,
	credentials: { s3: cred },
});
/**
 * The upload workflows' input: a file already in n8n's filesystem binary store, as if an earlier
 * node or execution had put it there. bench/run.js hard-links the generated file to
 * STORED_INPUT_ID (and writes its .metadata) before each run, so no node of the measured n8n
 * process streams the GiB-sized file before the upload (the Read/Write Files node would: its
 * leftover garbage, 70-90 MiB at 1 GiB, would count against the upload node's memory).
 */
const STORED_INPUT_ID = 'workflows/bench/executions/temp/binary_data/bench-input';
const readFileNode = {
	name: 'Stored file',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: {
		jsCode: [
			'return [{',
			'  json: { name: "big.bin" },',
			`  binary: { data: { id: 'filesystem-v2:${STORED_INPUT_ID}', data: 'filesystem-v2', mimeType: 'application/octet-stream', fileName: 'big.bin', fileExtension: 'bin', fileType: undefined } },`,
			'}];',
		].join('\n'),
	},
};

/**
 * @param cfg { bucket, smallCount, listPrefix, delBuckets: { ours, builtin }, uploadOptions (ours: partSize, queueSize), smallOptions (ours: concurrency),
 *   smallConcurrency (the bare node's: the S3 Storage node's in effect) }
 * @returns { [name]: workflow } with the measured node of each named "Upload", "Download", "List" or "Delete folder"
 */
function workflows(cfg) {
	const { bucket } = cfg;
	const smallItems = {
		name: 'Make items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: [
				`const n = ${Number(cfg.smallCount)};`,
				'const out = [];',
				'for (let i = 0; i < n; i++) {',
				"  const name = `obj-${String(i).padStart(5, '0')}.txt`;",
				'  out.push({ json: { name, text: `${name} `.repeat(Math.ceil(4096 / (name.length + 1))).slice(0, 4096) } });',
				'}',
				'return out;',
			].join('\n'),
		},
	};
	const toFile = {
		name: 'To file',
		type: 'n8n-nodes-base.convertToFile',
		typeVersion: 1.1,
		parameters: { operation: 'toText', sourceProperty: 'text', binaryPropertyName: 'data', options: { fileName: '={{ $json.name }}' } },
	};
	// 2,000 small files made in n8n, then uploaded by this node with the given Key
	const smallOurs = (id, name, key) =>
		linear(id, name, [
			smallItems,
			toFile,
			oursNode('Upload', {
				resource: 'object',
				operation: 'upload',
				bucketName: rl(bucket),
				key: rl(key, 'key'),
				inputType: 'binary',
				binaryPropertyName: 'data',
				options: { ...(cfg.smallOptions ?? {}) },
			}),
		]);
	return {
		'up-ours': linear('benchUpOurs1', 'bench: upload (S3 Storage)', [
			readFileNode,
			oursNode('Upload', {
				resource: 'object',
				operation: 'upload',
				bucketName: rl(bucket),
				key: rl('={{ $env.BENCH_KEY }}', 'key'),
				inputType: 'binary',
				binaryPropertyName: 'data',
				options: { ...(cfg.uploadOptions ?? {}) },
			}),
		]),
		'down-ours': linear('benchDownOurs1', 'bench: download (S3 Storage)', [
			oursNode('Download', {
				resource: 'object',
				operation: 'download',
				bucketName: rl(bucket),
				key: rl('={{ $env.BENCH_KEY }}', 'key'),
				outputType: 'binary',
				binaryPropertyName: 'data',
				options: {},
			}),
		]),
		'up-builtin': linear('benchUpBuiltin1', 'bench: upload (built-in S3)', [
			readFileNode,
			builtinNode('Upload', {
				resource: 'file',
				operation: 'upload',
				bucketName: bucket,
				fileName: "={{ $env.BENCH_KEY.split('/').pop() }}",
				binaryData: true,
				binaryPropertyName: 'data',
				additionalFields: { parentFolderKey: "={{ $env.BENCH_KEY.split('/').slice(0, -1).join('/') }}" },
				tagsUi: {},
			}),
		]),
		'down-builtin': linear('benchDownBuiltin1', 'bench: download (built-in S3)', [
			builtinNode('Download', {
				resource: 'file',
				operation: 'download',
				bucketName: bucket,
				fileKey: '={{ $env.BENCH_KEY }}',
				binaryPropertyName: 'data',
			}),
		]),
		'small-ours': smallOurs('benchSmallOurs1', 'bench: 4 KiB uploads (S3 Storage)', "=small-ours/{{ $('Make items').item.json.name }}"),
		// the same, Key a folder ("small-oursdir/"): each file goes in under its file name, so
		// n8n evaluates no Key expression per item
		'small-oursdir': smallOurs('benchSmallOursDir1', 'bench: 4 KiB uploads into a folder Key (S3 Storage)', 'small-oursdir/'),
		// the same uploads from the thinnest n8n node (bench/bare-node, linked into n8n when the bench
		// runs it): what n8n costs any node per item, with the same Key expression
		'small-bare': linear('benchSmallBare1', 'bench: 4 KiB uploads (bare n8n node)', [
			smallItems,
			toFile,
			{
				name: 'Upload',
				type: 'n8n-nodes-bench-bare.benchBarePut',
				typeVersion: 1,
				parameters: { bucket, key: "=small-bare/{{ $('Make items').item.json.name }}", concurrency: Number(cfg.smallConcurrency) },
				credentials: { s3StorageApi: CRED.ours },
			},
		]),
		'small-builtin': linear('benchSmallBuiltin1', 'bench: 4 KiB uploads (built-in S3)', [
			smallItems,
			toFile,
			builtinNode('Upload', {
				resource: 'file',
				operation: 'upload',
				bucketName: bucket,
				fileName: "={{ $('Make items').item.json.name }}",
				binaryData: true,
				binaryPropertyName: 'data',
				additionalFields: { parentFolderKey: 'small-builtin' },
				tagsUi: {},
			}),
		]),
		'list-ours': linear('benchListOurs1', 'bench: list (S3 Storage)', [
			oursNode('List', { resource: 'object', operation: 'getMany', bucketName: rl(bucket), prefix: cfg.listPrefix, returnAll: true, options: {} }),
		]),
		'list-builtin': linear('benchListBuiltin1', 'bench: list (built-in S3)', [
			builtinNode('List', { resource: 'file', operation: 'getAll', bucketName: bucket, returnAll: true, options: { folderKey: cfg.listPrefix } }),
		]),
		'del-ours': linear('benchDelOurs1', 'bench: delete folder (S3 Storage)', [
			oursNode('Delete folder', { resource: 'folder', operation: 'delete', bucketName: rl(cfg.delBuckets.ours), folderKey: 'del/', options: {} }, CRED.oursCount),
		]),
		'del-builtin': linear('benchDelBuiltin1', 'bench: delete folder (built-in S3)', [
			builtinNode('Delete folder', { resource: 'folder', operation: 'delete', bucketName: cfg.delBuckets.builtin, folderKey: 'del/' }, CRED.builtinCount),
		]),
	};
}

module.exports = { credentials, workflows, CRED, STORED_INPUT_ID };
