'use strict';
/*
 * Browser test: the editor as a user sees it (npm run test:browser = build + this file).
 *
 * Starts what `npm start` starts (e2e/start.js: s3rver with the demo buckets, n8n 2.8.4 with the
 * package, the credential and the examples, an owner account), on a free port, then drives
 * Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) headless with playwright-core:
 *   1. signs in as the owner,
 *   2. opens the example "summarise the CSVs under a prefix",
 *   3. opens its S3 Storage node "List CSV files", types part of a bucket name into the
 *      searchable bucket list (served by the node's searchBuckets) and clicks the result,
 *   4. executes the node (Execute step) and reads its output (the CSV keys) in the output panel,
 *   5. executes the whole workflow and checks the summary it uploaded,
 *   6. runs the backup example from its Schedule Trigger (reads a real folder on disk),
 *   7. posts a file to the published webhook example, gets a presigned URL back and fetches it,
 *   8. starts a new S3 Storage API credential, picks Cloudflare R2 and checks what the preset
 *      shows (its hint, region placeholder auto, no Ignore SSL Issues field); not saved;
 *   9. opens the S3 Storage Trigger of the CSV trigger example, picks the bucket from its list,
 *      runs Fetch Test Event and reads the newest CSV (with its file) in the output panel.
 * Screenshots go to docs/ (editor-workflow.png, bucket-picker.png, node-output.png,
 * credential.png, webhook-execution.png, trigger-fetch-test-event.png); the README shows them.
 *
 * When /usr/bin/chromium is missing it is installed with apt-get (as root), otherwise the test
 * fails with the command to run. Browsers are never downloaded.
 */

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');
const { startEditor, FILES_DIR, WEBHOOK_WORKFLOW_ID } = require('./start');

const DOCS = path.join(h.ROOT, 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends chromium';
const CSV_WORKFLOW = 's3Demo08CsvSummary';
const BACKUP_WORKFLOW = 's3Demo07ScheduledBackup';
const TRIGGER_WORKFLOW = 's3Demo10CsvTrigger';
const STEP_MS = 60_000;

h.setLogPrefix('browser');
h.installSignalHandlers();

let ed;
let browser;
let page;
const shots = [];

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not exist`);
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(`${CHROMIUM} is missing. Install Debian's Chromium first:\n  sudo sh -c '${INSTALL}'`);
	}
	h.log(`${CHROMIUM} is missing: installing Debian's chromium (${INSTALL})`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

async function shot(name) {
	fs.mkdirSync(DOCS, { recursive: true });
	const file = path.join(DOCS, name);
	await page.screenshot({ path: file });
	shots.push(path.relative(h.ROOT, file));
}

/** Closes n8n's toasts so they are not in the screenshots. */
async function dismissToasts() {
	for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => {});
	await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

before(async () => {
	ensureChromium();
	const { chromium } = require('playwright-core');
	ed = await startEditor({ port: await h.freePort() });
	h.log(`editor at ${ed.url} (ready in ${h.secs(ed.ms)}); launching ${CHROMIUM} headless`);
	const userDataDir = path.join(ed.runDir, 'chromium-profile');
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
		viewport: { width: 1440, height: 900 },
	});
	browser = context;
	page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
}, { timeout: 600_000 });

after(async () => {
	await browser?.close().catch(() => {});
	if (ed) await ed.stop();
	else await h.cleanupAll();
	if (shots.length) h.log(`screenshots: ${shots.join(', ')}`);
});

test('signs in as the owner that npm start set up', { timeout: STEP_MS }, async () => {
	await page.goto(`${ed.url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(ed.email);
	await page.locator('input[name="password"]').fill(ed.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
	assert.ok(!new URL(page.url()).pathname.startsWith('/signin'), `still on ${page.url()}`);
});

test('opens an example workflow with S3 Storage nodes', { timeout: STEP_MS }, async () => {
	await page.goto(`${ed.url}/workflow/${CSV_WORKFLOW}`);
	await canvasNode('List CSV files').waitFor();
	const types = await page.$$eval('[data-test-id="canvas-node"]', (els) => els.map((e) => e.getAttribute('data-node-type')));
	assert.ok(types.filter((t) => t === 'n8n-nodes-s3-storage.s3Storage').length >= 6, `S3 Storage nodes on the canvas: ${types.join(', ')}`);
	assert.equal(await page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-s3-storage.s3Storage"] :text("getMany: object · n8n-demo")').count(), 1, 'the subtitle shows operation, resource and bucket');
});

test('opens the S3 Storage node and picks a bucket from the searchable list', { timeout: STEP_MS }, async () => {
	await canvasNode('List CSV files').dblclick();
	const locator = page.locator('[data-test-id="resource-locator-bucketName"]');
	await locator.waitFor();
	await locator.locator('[data-test-id="rlc-input"]').click();
	const items = page.locator('[data-test-id="rlc-item"]');
	// the list comes from the node's searchBuckets (ListBuckets on the S3 server)
	await page.waitForFunction(() => document.querySelectorAll('[data-test-id="rlc-item"]').length >= 3);
	const all = (await items.allInnerTexts()).map((s) => s.trim());
	assert.deepEqual([...all].sort(), ['n8n-archive', 'n8n-demo', 'team-assets']);
	await page.locator('[data-test-id="rlc-search"]').fill('demo');
	await page.waitForFunction(() => {
		const names = [...document.querySelectorAll('[data-test-id="rlc-item"]')].map((e) => e.innerText.trim());
		return names.length === 1 && names[0] === 'n8n-demo';
	});
	await shot('bucket-picker.png');
	await items.filter({ hasText: 'n8n-demo' }).click();
	assert.equal(await locator.locator('[data-test-id="rlc-input"]').inputValue(), 'n8n-demo');
});

test('executes the node and shows the listed objects in the output panel', { timeout: STEP_MS }, async () => {
	await page.locator('[data-test-id="node-execute-button"]').click();
	const output = page.locator('[data-test-id="output-panel"]');
	await output.getByText('sales/2024-05/west.csv').first().waitFor();
	const text = await output.innerText();
	assert.match(text, /4 items/);
	for (const key of ['sales/2024-05/north.csv', 'sales/2024-05/south.csv', 'sales/2024-05/README.txt']) assert.ok(text.includes(key), `${key} in the output`);
	await dismissToasts();
	await shot('node-output.png');
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' }).catch(() => {});
});

test('executes the whole workflow: one JSON summary of the CSVs lands in the bucket', { timeout: STEP_MS }, async () => {
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await page.getByText(/Workflow executed successfully/).first().waitFor();
	const sdk = h.sdkFor(ed.s3);
	try {
		const summary = JSON.parse(await sdk.text('n8n-demo', 'reports/sales-2024-05-summary.json'));
		assert.deepEqual([summary.files, summary.rows, summary.units, summary.revenue], [3, 6, 14, 567.1]);
	} finally {
		sdk.client.destroy();
	}
	await dismissToasts();
	await page.locator('[data-test-id="zoom-to-fit"]').click().catch(() => {});
	await page.waitForTimeout(400);
	await shot('editor-workflow.png');
});

test('backup example: its Schedule Trigger branch reads a folder and uploads dated keys', { timeout: STEP_MS }, async () => {
	await page.goto(`${ed.url}/workflow/${BACKUP_WORKFLOW}`);
	await canvasNode('Every night at 02:00').waitFor();
	// each trigger has its own run button on the canvas: run the workflow from the schedule one
	await canvasNode('Every night at 02:00').hover();
	await page.locator('[data-test-id="execute-workflow-button-Every night at 02:00"]').click();
	await page.getByText(/Workflow executed successfully/).first().waitFor();
	const date = new Date().toISOString().slice(0, 10);
	const sdk = h.sdkFor(ed.s3);
	try {
		const keys = await sdk.keys('n8n-demo', `backups/${date}/`);
		const files = fs.readdirSync(path.join(FILES_DIR, 'to-back-up')).sort();
		assert.deepEqual(keys.sort(), [...files.map((f) => `backups/${date}/${f}`), `backups/${date}/manifest.json`].sort());
		const manifest = JSON.parse(await sdk.text('n8n-demo', `backups/${date}/manifest.json`));
		assert.equal(manifest.count, files.length);
	} finally {
		sdk.client.destroy();
	}
	await dismissToasts();
});

test('webhook example: POST a file, get a presigned URL back, download the file with it', { timeout: STEP_MS }, async () => {
	const content = `uploaded by the browser test at ${new Date().toISOString()}\n`;
	const form = new FormData();
	form.append('file', new Blob([content], { type: 'text/plain' }), 'browser-test.txt');
	const res = await fetch(ed.webhookUrl, { method: 'POST', body: form });
	const body = await res.text();
	assert.equal(res.status, 200, body);
	const answer = JSON.parse(body);
	assert.equal(answer.bucket, 'n8n-demo');
	assert.match(answer.key, /^uploads\/\d{4}-\d{2}-\d{2}\/\d+-browser-test\.txt$/);
	assert.equal(answer.size, Buffer.byteLength(content));
	assert.ok(Date.parse(answer.expiresAt) > Date.now() + 3500e3, `expiresAt ${answer.expiresAt}`);
	const file = await fetch(answer.url);
	assert.equal(file.status, 200);
	assert.equal(await file.text(), content, 'the presigned URL returns the posted file');
	// the execution in the editor
	await page.goto(`${ed.url}/workflow/${WEBHOOK_WORKFLOW_ID}/executions`);
	const preview = page.frameLocator('[data-test-id="workflow-preview-iframe"]');
	await preview.locator('[data-test-id="canvas-node"][data-node-name="Respond with the link"]').waitFor();
	await page.waitForTimeout(800);
	await shot('webhook-execution.png');
});

test('credential: the provider preset shows only its fields, with hints (Cloudflare R2)', { timeout: STEP_MS }, async () => {
	await page.goto(`${ed.url}/home/credentials/create`);
	await page.locator('[data-test-id="new-credential-type-select"]').click();
	await page.keyboard.type('S3 Storage');
	await page.locator('[data-test-id="new-credential-type-select-option"]').filter({ hasText: 'S3 Storage API' }).first().click();
	await page.locator('[data-test-id="new-credential-type-button"]').click();
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	const field = (name) => modal.locator(`[data-test-id="parameter-input-${name}"]`);
	await field('provider').click();
	await page.locator('.el-select-dropdown__item, [role="option"]').filter({ hasText: 'Cloudflare R2' }).first().click();
	await modal.getByText('Manage API tokens').waitFor();
	assert.equal(await field('region').locator('input').inputValue(), '', 'region left empty (R2 signs with auto)');
	assert.equal(await field('region').locator('input').getAttribute('placeholder'), 'auto');
	assert.match((await field('endpoint').locator('input').getAttribute('placeholder')) ?? '', /r2\.cloudflarestorage\.com/);
	assert.equal(await field('ignoreSslIssues').count(), 0, 'no Ignore SSL Issues field for R2');
	await page.mouse.move(5, 5);
	await page.waitForTimeout(600);
	await shot('credential.png');
	// close without saving
	await modal.locator('.el-dialog__headerbtn').first().click();
	await page.getByRole('button', { name: 'Close', exact: true }).click().catch(() => {});
});

test('trigger: picks the bucket from the list and fetches a test event (the newest CSV with its file)', { timeout: STEP_MS }, async () => {
	await page.goto(`${ed.url}/workflow/${TRIGGER_WORKFLOW}`);
	await canvasNode('S3 Storage Trigger').waitFor();
	await canvasNode('S3 Storage Trigger').dblclick();
	const locator = page.locator('[data-test-id="resource-locator-bucketName"]');
	await locator.waitFor();
	await locator.locator('[data-test-id="rlc-input"]').click();
	await page.waitForFunction(() => document.querySelectorAll('[data-test-id="rlc-item"]').length >= 3);
	await page.locator('[data-test-id="rlc-search"]').fill('demo');
	await page.waitForFunction(() => {
		const names = [...document.querySelectorAll('[data-test-id="rlc-item"]')].map((e) => e.innerText.trim());
		return names.length === 1 && names[0] === 'n8n-demo';
	});
	await page.locator('[data-test-id="rlc-item"]').filter({ hasText: 'n8n-demo' }).click();
	assert.equal(await locator.locator('[data-test-id="rlc-input"]').inputValue(), 'n8n-demo');
	const fetchButton = page.locator('[data-test-id="node-execute-button"]');
	assert.match(await fetchButton.innerText(), /Fetch Test Event/i);
	await fetchButton.click();
	const output = page.locator('[data-test-id="output-panel"]');
	try {
		// an item with a binary opens on the Binary view: the file, then the fields in the table
		await output.getByText('orders-2024-06.csv').first().waitFor();
		await output.getByText('Table', { exact: true }).first().click();
		await output.getByText('inbox/orders-2024-06.csv').first().waitFor();
	} catch (e) {
		await page.screenshot({ path: path.join(ed.runDir, 'trigger-failed.png') }).catch(() => {});
		throw new Error(`${e.message}\noutput panel: ${await output.innerText().catch(() => '?')}\npage: ${(await page.locator('body').innerText().catch(() => '?')).slice(0, 1500)}`);
	}
	const text = await output.innerText();
	assert.match(text, /1 item/);
	assert.match(text, /objectCreated/);
	await dismissToasts();
	await page.waitForTimeout(400);
	await shot('trigger-fetch-test-event.png');
	await page.locator('[data-test-id="ndv-close-button"]').click();
});
