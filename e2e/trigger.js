#!/usr/bin/env node
'use strict';
/*
 * The S3 Storage Trigger in a running n8n (`n8n start`), active, polling every 2 seconds:
 *
 *   node e2e/trigger.js [--s3=s3rver|rgw|external] [--keep] [--verbose]
 *   (npm run test:e2e runs it after the example workflows, with the same --s3)
 *
 * Workflow "copy": S3 Storage Trigger on <bucket>/drop/ → S3 Storage Object Copy to
 * processed/<key>/<execution id>, so the bucket records every emission, and an emission twice
 * shows as two copies. Checks:
 *   1. objects there before activation are never copied;
 *   2. 200 objects written in bursts while n8n runs are each copied exactly once;
 *   3. deactivating and activating the workflow (REST, as the editor does) replays nothing;
 *   4. n8n stopped, 20 objects written, n8n started → those 20 once and nothing else;
 * plus the example examples/new-csv-inbox-trigger.json, active: a CSV put in inbox/ gets its JSON
 * summary in summaries/ and is moved to processed/; a CSV there before activation stays.
 *
 * The custom cron is a list of seconds (`0,2,…,58 * * * * *`): n8n refuses `*` in the seconds
 * field of a poll time ("at least a minute").
 */
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');
const { restClient, setupOwner, waitForN8n } = require('./start');

const { ROOT, CRED_ID, CRED_NAME, log, secs, tail } = h;
const TRIGGER_TYPE = `${h.PACKAGE_NAME}.s3StorageTrigger`;
const COPY_WF_ID = 's3E2eTriggerCopy1';
const CSV_WF_ID = 's3Demo10CsvTrigger';
const EVERY_2_S = `${Array.from({ length: 30 }, (_, i) => i * 2).join(',')} * * * * *`;
const OWNER = { email: 'owner@example.com', firstName: 'Trigger', lastName: 'Test', password: 'S3-Storage-trigger1' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
	const o = { s3: process.env.E2E_S3 || 's3rver', keep: false, verbose: false };
	for (const a of argv) {
		if (a.startsWith('--s3=')) o.s3 = a.slice(5);
		else if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--assert' || a === '--demo') continue;
		else throw new h.UsageError(`unknown argument "${a}"`);
	}
	return o;
}

const cred = { s3StorageApi: { id: CRED_ID, name: CRED_NAME } };
const rl = (value) => ({ __rl: true, value, mode: 'name' });

/**
 * The test workflow: every object emitted from <bucket>/drop/ copied to processed/<key>/<execution id>
 * (an emission twice shows as two copies). Also used by e2e/queue.js with its own id and name.
 */
function copyWorkflow(bucket, { id = COPY_WF_ID, name = 'e2e: trigger copies each new object to processed/' } = {}) {
	return {
		id,
		name,
		nodes: [
			{
				id: 'a1f0b3c2-0000-4000-8000-00000000e2e1',
				name: 'S3 Storage Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'custom', cronExpression: EVERY_2_S }] },
					bucketName: rl(bucket),
					prefix: 'drop/',
					event: 'objectCreated',
					options: { maxObjectsPerPoll: 500 },
				},
				credentials: cred,
			},
			{
				id: 'a1f0b3c2-0000-4000-8000-00000000e2e2',
				name: 'Copy to processed/',
				type: h.NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'object',
					operation: 'copy',
					sourceBucketName: rl(bucket),
					sourceKey: { __rl: true, value: '={{ $json.key }}', mode: 'key' },
					destinationBucketName: rl(bucket),
					destinationKey: '=processed/{{ $json.key }}/{{ $execution.id }}',
					options: {},
				},
				credentials: cred,
			},
		],
		connections: { 'S3 Storage Trigger': { main: [[{ node: 'Copy to processed/', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/** The CSV example with its poll time set to every 2 seconds and the run's bucket. */
function csvWorkflow(bucket) {
	const wf = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'new-csv-inbox-trigger.json'), 'utf8'));
	for (const node of wf.nodes) {
		if (node.type === TRIGGER_TYPE) node.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: EVERY_2_S }] };
		for (const name of ['bucketName', 'sourceBucketName', 'destinationBucketName']) {
			if (node.parameters[name]?.__rl) node.parameters[name].value = bucket;
		}
	}
	return wf;
}

/** Logs each check; with `outer` (run.js's Checks), records it there too. */
class Checks {
	constructor(outer) {
		this.outer = outer;
		this.passed = 0;
		this.failed = [];
	}
	ok(cond, what, detail = '') {
		this.outer?.ok(cond, what, detail);
		if (cond) {
			this.passed++;
			log(`  ✓ ${what}`);
		} else {
			this.failed.push(what);
			log(`  ✗ ${what}${detail ? `\n      ${String(detail).split('\n').join('\n      ')}` : ''}`);
		}
		return cond;
	}
}

/**
 * Runs the trigger checks. opts: { s3, keep, verbose }; with `s3Server` given (an already
 * started S3 server from the caller), uses it; with `outerChecks`, records the checks there too.
 * @returns {Promise<{ passed: number, failed: string[] }>}
 */
async function runTriggerChecks(opts, s3Server, outerChecks) {
	await h.ensureN8nInstalled(opts);
	const run = h.makeRunFolder('run-trigger', opts);
	const { runDir, userFolder } = run;
	const checks = new Checks(outerChecks);
	const s3 = s3Server ?? (await h.startS3(opts, runDir));
	const sdk = h.sdkFor(s3);
	const bucket = `trigger-e2e-${Date.now().toString(36)}`;
	const csvBucket = `trigger-csv-${Date.now().toString(36)}`;
	let n8nProc;
	try {
		await sdk.ensureBucket(bucket);
		await sdk.ensureBucket(csvBucket);
		const put = (Bucket, Key, Body) => sdk.client.send(new sdk.sdk.PutObjectCommand({ Bucket, Key, Body }));
		const putMany = async (keys, concurrency = 8) => {
			let next = 0;
			await Promise.all(
				Array.from({ length: concurrency }, async () => {
					while (next < keys.length) {
						const k = keys[next++];
						await put(bucket, k, `body of ${k}`);
					}
				}),
			);
		};
		const allKeys = async (Bucket, Prefix) => {
			const keys = [];
			let ContinuationToken;
			do {
				const r = await sdk.client.send(new sdk.sdk.ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
				for (const o of r.Contents ?? []) keys.push(o.Key);
				ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
			} while (ContinuationToken);
			return keys;
		};
		/** source key → number of copies made of it */
		const copies = async () => {
			const count = new Map();
			for (const k of await allKeys(bucket, 'processed/')) {
				const source = k.slice('processed/'.length, k.lastIndexOf('/'));
				count.set(source, (count.get(source) ?? 0) + 1);
			}
			return count;
		};
		const waitForCopies = async (total, timeoutMs) => {
			const until = Date.now() + timeoutMs;
			let c = await copies();
			while (Date.now() < until) {
				const sum = [...c.values()].reduce((a, b) => a + b, 0);
				if (sum >= total) break;
				await sleep(1000);
				h.bailIfInterrupted();
				c = await copies();
			}
			await sleep(6000); // a few more polls: anything emitted twice would show now
			return await copies();
		};

		// before activation: 10 objects in drop/, a CSV in inbox/
		const before = Array.from({ length: 10 }, (_, i) => `drop/before-${i}.txt`);
		await putMany(before);
		await put(csvBucket, 'inbox/old.csv', 'a,b\n1,2\n');

		const workflows = [copyWorkflow(bucket), csvWorkflow(csvBucket)];
		const prep = await h.prepareUserFolder(userFolder, { workflows, s3, logDir: runDir, verbose: opts.verbose });
		log(`  n8n user folder: ${prep.how}`);
		const major = Number(h.n8nVersion().split('.')[0]);
		for (const id of [COPY_WF_ID, CSV_WF_ID]) {
			const args = major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'];
			const r = await h.n8n(args, { userFolder, s3: null, logName: `publish-${id}`, logDir: runDir, opts, timeoutMs: 120_000 });
			if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${tail(r.output)}`);
		}

		const port = await h.freePort();
		const url = `http://127.0.0.1:${port}`;
		const startN8n = async (label) => {
			const brokerPort = await h.freePort();
			const env = h.n8nEnv(userFolder, s3, brokerPort, {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_EDITOR_BASE_URL: url,
				N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL || 'info',
			});
			const started = Date.now();
			const proc = h.startProcess(h.selectedN8n().nodeBin, [h.selectedN8n().bin, 'start'], {
				env,
				cwd: userFolder,
				logFile: path.join(runDir, `n8n-start-${label}.log`),
				echo: opts.verbose,
				name: `n8n start (${label})`,
			});
			await waitForN8n(url, proc, 180_000);
			log(`  n8n ${h.n8nVersion()} started (${label}) in ${secs(Date.now() - started)}`);
			return proc;
		};

		log('trigger: n8n start with the workflows active...');
		n8nProc = await startN8n('first');
		await sleep(5000);
		let c = await copies();
		checks.ok(c.size === 0, 'objects there before activation are not emitted', [...c.keys()].join(', '));

		log('trigger: 200 objects in 8 bursts...');
		const burstKeys = [];
		for (let b = 0; b < 8; b++) {
			const keys = Array.from({ length: 25 }, (_, i) => `drop/burst-${b}-${String(i).padStart(2, '0')}.txt`);
			await putMany(keys);
			burstKeys.push(...keys);
			await sleep(700 + 300 * (b % 3));
		}
		await put(csvBucket, 'inbox/orders.csv', 'id,item,qty\n1,widget,3\n2,gadget,1\n3,gizmo,7\n');
		await put(csvBucket, 'inbox/notes.txt', 'not a CSV');
		c = await waitForCopies(200, 120_000);
		const twice = [...c.entries()].filter(([, n]) => n > 1);
		checks.ok(burstKeys.every((k) => c.get(k) >= 1), `each of the 200 objects was emitted (${[...c.keys()].length} copied)`, burstKeys.filter((k) => !c.has(k)).slice(0, 10).join(', '));
		checks.ok(twice.length === 0, 'none was emitted twice', twice.slice(0, 10).map(([k, n]) => `${k} ×${n}`).join(', '));
		checks.ok(before.every((k) => !c.has(k)), 'still none of the objects there before activation');

		// the CSV example
		const summary = await sdk.head(csvBucket, 'summaries/orders.json');
		checks.ok(summary !== null, 'CSV example: summaries/orders.json was written');
		if (summary) {
			const json = JSON.parse(await sdk.text(csvBucket, 'summaries/orders.json'));
			checks.ok(json.rows === 3 && json.file === 'inbox/orders.csv' && JSON.stringify(json.columns) === '["id","item","qty"]', 'CSV example: the summary counts 3 rows and the columns', JSON.stringify(json));
		}
		checks.ok((await sdk.head(csvBucket, 'processed/orders.csv')) !== null && (await sdk.head(csvBucket, 'inbox/orders.csv')) === null, 'CSV example: the CSV was moved to processed/');
		checks.ok((await sdk.head(csvBucket, 'inbox/old.csv')) !== null && (await sdk.head(csvBucket, 'summaries/old.json')) === null, 'CSV example: the CSV there before activation was left alone');
		checks.ok((await sdk.head(csvBucket, 'inbox/notes.txt')) !== null, 'CSV example: a non-CSV file is ignored (Key Pattern *.csv)');

		// deactivate and activate again, as the editor does
		log('trigger: deactivate + activate through the REST API...');
		const api = restClient(url);
		await setupOwner(api, OWNER);
		const wf = await api('GET', `/rest/workflows/${COPY_WF_ID}`);
		await api('POST', `/rest/workflows/${COPY_WF_ID}/deactivate`, {});
		await sleep(3000);
		const wf2 = await api('GET', `/rest/workflows/${COPY_WF_ID}`);
		await api('POST', `/rest/workflows/${COPY_WF_ID}/activate`, { versionId: wf2.versionId ?? wf.versionId });
		await sleep(6000);
		const afterReactivation = await copies();
		const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
		checks.ok(sum(afterReactivation) === 200, 're-activation replays nothing', `copies: ${sum(afterReactivation)}`);
		const reKeys = Array.from({ length: 5 }, (_, i) => `drop/after-reactivation-${i}.txt`);
		await putMany(reKeys);
		c = await waitForCopies(205, 60_000);
		checks.ok(reKeys.every((k) => c.get(k) === 1) && sum(c) === 205, 'objects written after re-activation are emitted once', `copies: ${sum(c)}`);

		// n8n down while objects arrive
		log('trigger: n8n stopped, 20 objects written, n8n started...');
		await n8nProc.stop(15_000);
		n8nProc = undefined;
		const downKeys = Array.from({ length: 20 }, (_, i) => `drop/while-down-${String(i).padStart(2, '0')}.txt`);
		await putMany(downKeys);
		n8nProc = await startN8n('restart');
		c = await waitForCopies(225, 90_000);
		checks.ok(downKeys.every((k) => c.get(k) === 1), 'the 20 objects written while n8n was down are emitted once after the restart', downKeys.filter((k) => c.get(k) !== 1).join(', '));
		checks.ok(sum(c) === 225 && [...c.values()].every((n) => n === 1), 'and nothing else (no replay after the restart)', `copies: ${sum(c)}`);

		const errors = (n8nProc.output().match(/^.*(error|Error).*S3 Storage Trigger.*$/gm) ?? []).slice(0, 5);
		checks.ok(errors.length === 0, 'n8n logged no trigger errors', errors.join('\n'));
	} catch (error) {
		run.keep = true;
		checks.ok(false, `the trigger run finished (${error.message})`, error.stack);
	} finally {
		if (n8nProc) await n8nProc.stop(10_000);
		sdk.client.destroy();
		if (checks.failed.length) run.keep = true;
	}
	log(`trigger: ${checks.passed} checks passed, ${checks.failed.length} failed`);
	return { passed: checks.passed, failed: checks.failed };
}

module.exports = { runTriggerChecks, copyWorkflow, TRIGGER_TYPE, EVERY_2_S };

if (require.main === module) {
	h.setLogPrefix?.('trigger');
	h.installSignalHandlers();
	const opts = parseArgs(process.argv.slice(2));
	runTriggerChecks(opts)
		.then(async (r) => {
			await h.cleanupAll();
			process.exit(r.failed.length ? 1 : 0);
		})
		.catch(async (e) => {
			log(e instanceof h.UsageError ? e.message : e.stack);
			await h.cleanupAll();
			process.exit(2);
		});
}
