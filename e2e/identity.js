#!/usr/bin/env node
'use strict';
/*
 * An "Assume Role" credential in a real n8n (execute-batch):
 *
 *   node e2e/identity.js [--keep] [--verbose]     (npm run test:e2e runs it after the examples, with
 *   the default n8n)
 *
 * Always on a throw-away Ceph RGW (s3rver has no STS) with a second, STS-enabled radosgw on the
 * same cluster (scripts/rgw-sts-up.sh). A second user ("caller") may assume a role whose policy
 * allows S3; the bucket belongs to the first user, so the caller's own keys are denied and only
 * the role gets in. The credential (type s3StorageApi, imported with `n8n import:credentials`)
 * holds the caller's keys, Assume Role on, the role ARN; workflow: Manual Trigger → S3 Storage
 * Upload (text) → S3 Storage Download (text). Checks: the workflow ran, the download returned
 * what was uploaded, and the caller's keys alone may not upload to the bucket (so the role did it).
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const h = require('./lib/harness');

const { ROOT, log, tail } = h;
const CRED_ID = 's3E2eAssumeRole1';
const WF_ID = 's3E2eAssumeRole1';

function parseArgs(argv) {
	const o = { s3: 'rgw', keep: false, verbose: false };
	for (const a of argv) {
		if (a === '--keep') o.keep = true;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--assert' || a === '--demo' || a.startsWith('--s3=')) continue; // always its own RGW
		else throw new h.UsageError(`unknown argument "${a}"`);
	}
	return o;
}

/** The assume-role credential; the server, keys and role come from the environment (stable, so n8n's database is cached). */
const credential = {
	id: CRED_ID,
	name: 'S3 Storage (assume role)',
	type: 's3StorageApi',
	data: {
		provider: 'other',
		endpoint: '={{ $env.E2E_STS_ENDPOINT }}',
		accessKeyId: '={{ $env.E2E_CALLER_ACCESS_KEY_ID }}',
		secretAccessKey: '={{ $env.E2E_CALLER_SECRET_ACCESS_KEY }}',
		region: 'us-east-1',
		forcePathStyle: true,
		authentication: 'accessKeys',
		assumeRole: true,
		roleArn: '={{ $env.E2E_ROLE_ARN }}',
		roleSessionName: 'n8n-e2e',
		roleSessionDuration: 900,
	},
};

const rl = (value) => ({ __rl: true, value, mode: 'name' });
const cred = { s3StorageApi: { id: CRED_ID, name: credential.name } };
const workflow = {
	id: WF_ID,
	name: 'e2e: upload and download through an assumed role',
	nodes: [
		{ id: 'b1f0b3c2-0000-4000-8000-0000000a0001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'b1f0b3c2-0000-4000-8000-0000000a0002',
			name: 'Upload',
			type: h.NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			credentials: cred,
			parameters: { resource: 'object', operation: 'upload', bucketName: rl('={{ $env.E2E_ROLE_BUCKET }}'), key: 'role/hello.txt', inputType: 'text', content: 'hello from the assumed role', options: {} },
		},
		{
			id: 'b1f0b3c2-0000-4000-8000-0000000a0003',
			name: 'Download',
			type: h.NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			credentials: cred,
			parameters: { resource: 'object', operation: 'download', bucketName: rl('={{ $env.E2E_ROLE_BUCKET }}'), key: 'role/hello.txt', outputType: 'text', options: {} },
		},
	],
	connections: {
		Start: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
		Upload: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

async function rgwAdmin(s3, args) {
	const r = await h.runCommand('radosgw-admin', ['-n', 'client.admin', ...args], {
		env: { ...process.env, CEPH_CONF: path.join(s3.dir, 'ceph.conf'), CEPH_KEYRING: path.join(s3.dir, 'keyring') },
		cwd: ROOT,
		name: 'radosgw-admin',
	});
	if (r.code !== 0) throw new Error(`radosgw-admin ${args[0]} ${args[1]} failed:\n${tail(r.output)}`);
	return r.output;
}

/** Runs the check; returns { passed, failed: [what...] }. */
async function runIdentityChecks(opts, outerChecks) {
	const results = [];
	const check = (cond, what, detail = '') => {
		results.push({ ok: !!cond, what });
		outerChecks?.ok(cond, what, detail);
		log(`${cond ? '✓' : '✗'} ${what}${cond || !detail ? '' : `\n    ${detail}`}`);
		return !!cond;
	};
	const run = h.makeRunFolder('identity', opts);
	const { runDir, userFolder } = run;
	await h.ensureN8nInstalled(opts);
	const s3 = await h.startS3({ ...opts, s3: 'rgw' }, runDir);
	const stsPort = await h.freePort();
	const up = await h.runCommand(path.join(ROOT, 'scripts', 'rgw-sts-up.sh'), [], { env: { ...process.env, RGW_DIR: s3.dir, STS_PORT: String(stsPort) }, cwd: ROOT, name: 'rgw-sts-up.sh' });
	const stsEndpoint = /S3_STS_ENDPOINT=(\S+)/.exec(up.output)?.[1];
	if (up.code !== 0 || !stsEndpoint) throw new Error(`scripts/rgw-sts-up.sh failed:\n${tail(up.output)}`);
	log(`STS-enabled radosgw at ${stsEndpoint}`);

	const tag = crypto.randomBytes(4).toString('hex');
	const caller = { uid: `e2e-caller-${tag}`, accessKeyId: `E2ECALLER${tag.toUpperCase()}`, secretAccessKey: crypto.randomBytes(24).toString('base64').replace(/[+/=]/g, 'x') };
	await rgwAdmin(s3, ['user', 'create', `--uid=${caller.uid}`, `--display-name=${caller.uid}`, `--access-key=${caller.accessKeyId}`, `--secret-key=${caller.secretAccessKey}`]);
	const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam:::user/${caller.uid}`] }, Action: ['sts:AssumeRole'] }] };
	const role = JSON.parse(/\{[\s\S]*\}/.exec(await rgwAdmin(s3, ['role', 'create', `--role-name=e2e-s3-${tag}`, `--assume-role-policy-doc=${JSON.stringify(trust)}`]))[0]);
	await rgwAdmin(s3, ['role-policy', 'put', `--role-name=e2e-s3-${tag}`, '--policy-name=s3', `--policy-doc=${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::*'] }] })}`]);
	const sdk = h.sdkFor(s3);
	const bucket = `role-e2e-${Date.now().toString(36)}`;
	await sdk.ensureBucket(bucket);

	try {
		const prep = await h.prepareUserFolder(userFolder, { workflows: [workflow], credentials: [credential], s3, logDir: runDir, verbose: opts.verbose });
		log(`  n8n user folder: ${prep.how}`);
		const snapDir = path.join(runDir, 'snapshots');
		const env = { E2E_STS_ENDPOINT: stsEndpoint, E2E_CALLER_ACCESS_KEY_ID: caller.accessKeyId, E2E_CALLER_SECRET_ACCESS_KEY: caller.secretAccessKey, E2E_ROLE_ARN: role.Arn, E2E_ROLE_BUCKET: bucket };
		const r = await h.executeBatch({ userFolder, s3, ids: [WF_ID], snapDir, logDir: runDir, opts, env, logName: 'execute-identity' });
		const snap = r.snapshots[WF_ID];
		const runData = snap?.data?.resultData?.runData ?? {};
		const out = (n) => runData[n]?.[0]?.data?.main?.[0]?.map((i) => i.json) ?? [];
		if (!check(snap?.status === 'success', 'the assume-role workflow ran without error in n8n', `status ${snap?.status}; ${JSON.stringify(r.result?.summary ?? {}).slice(0, 500)}\n${tail(r.output, 20)}`)) run.keep = true;
		check(out('Upload')[0]?.key === 'role/hello.txt' && out('Upload')[0]?.bucket === bucket, 'Upload (as the role) reported the key and bucket', JSON.stringify(out('Upload')));
		check(out('Download')[0]?.data === 'hello from the assumed role', 'Download (as the role) returned what was uploaded', JSON.stringify(out('Download')));
		// the caller's own keys may not write to that bucket (it is another user's): the role did the work
		const plain = new sdk.sdk.S3Client({ endpoint: stsEndpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey } });
		const denied = await plain.send(new sdk.sdk.PutObjectCommand({ Bucket: bucket, Key: 'role/plain.txt', Body: 'x' })).then(() => 'allowed', (e) => e.$metadata?.httpStatusCode);
		plain.destroy();
		check(denied === 403, "the caller's own keys are denied an upload to that bucket (HTTP 403): only the role gets in", `got ${denied}`);
		const logText = fs.existsSync(r.logFile) ? fs.readFileSync(r.logFile, 'utf8') : '';
		check(!logText.includes(caller.secretAccessKey), "n8n's log does not contain the caller's secret");
	} finally {
		sdk.client.destroy();
	}
	const failed = results.filter((x) => !x.ok).map((x) => x.what);
	if (failed.length) run.keep = true;
	return { passed: results.length - failed.length, failed };
}

module.exports = { runIdentityChecks };

if (require.main === module) {
	h.setLogPrefix?.('identity');
	h.installSignalHandlers();
	runIdentityChecks(parseArgs(process.argv.slice(2)))
		.then(async (r) => {
			log(r.failed.length ? `E2E (assume role) FAILED: ${r.failed.length} check(s)` : `E2E (assume role) OK: ${r.passed} checks passed`);
			await h.cleanupAll();
			process.exit(r.failed.length ? 1 : 0);
		})
		.catch(async (e) => {
			log(e instanceof h.UsageError ? e.message : e.stack);
			await h.cleanupAll();
			process.exit(2);
		});
}
