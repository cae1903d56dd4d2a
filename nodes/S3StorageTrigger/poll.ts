import { GetObjectCommand, type S3Client, type _Object } from '@aws-sdk/client-s3';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import { fileNameFromKey, storeObjectBody } from '../shared/helpers/binary';
import { runBounded } from '../shared/helpers/concurrency';
import { compileKeyGlob, type KeyMatcher } from '../shared/helpers/glob';
import { listPages } from '../shared/helpers/listing';
import { normalizeEtag, validateBucketName } from '../shared/helpers/validation';
import type { S3StorageCredentials } from '../shared/transport/client';
import { connect } from '../shared/transport/connect';
import { s3ErrorCode, s3HttpStatus, toNodeError } from '../shared/transport/errors';
import { PollPlan, readState, scopeOf, stateSize, writeState, type ListedObject } from './state';

/**
 * Default look-back window, minutes. On AWS a multipart upload's LastModified is the time the
 * upload started, so an upload that takes longer than the window can complete "too far in the
 * past" and be missed; an hour covers a 5 GiB upload at 1.5 MiB/s. It also absorbs clocks of
 * a server's nodes that differ by minutes. Cost: the state keeps one 10-character fingerprint
 * per object written in the last hour (≈ 11 KiB at 1,000 objects an hour).
 */
export const DEFAULT_LOOK_BACK_MINUTES = 60;
/**
 * Default most objects one poll emits: one execution stays a size n8n handles comfortably
 * (with Download on, 100 files), and a backlog still drains at 6,000 objects an hour with the
 * default one-minute poll.
 */
export const DEFAULT_MAX_OBJECTS_PER_POLL = 100;
/** Default cap on a downloaded object, MiB (larger ones come without the file). */
export const DEFAULT_MAX_DOWNLOAD_MIB = 1024;
/** Objects downloaded at once when Download is on. */
const DOWNLOAD_CONCURRENCY = 4;
const MiB = 1024 * 1024;
/**
 * Static data of trigger nodes whose poll is running. n8n keeps one static data object per
 * active workflow and node and starts a poll at every poll time even when the previous one has
 * not finished (a poll longer than the interval): two polls on the same state would emit the
 * same objects twice, so the later one is skipped.
 */
const pollsRunning = new WeakSet<object>();

interface TriggerSettings {
	bucket: string;
	prefix: string;
	matches: KeyMatcher;
	download: boolean;
	binaryProperty: string;
	/** bytes; 0 = no limit */
	maxDownloadBytes: number;
	maxObjects: number;
	/** ms */
	window: number;
	keysInTimeOrder: boolean;
	emitExisting: boolean;
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const node = ctx.getNode();
	const fail = (message: string): never => {
		throw new NodeOperationError(node, message);
	};
	const bucket = validateBucketName(ctx, ctx.getNodeParameter('bucketName', '', { extractValue: true }), 0, 'Bucket Name');
	const prefix = String(ctx.getNodeParameter('prefix', '') ?? '');
	const event = String(ctx.getNodeParameter('event', 'objectCreated'));
	if (event !== 'objectCreated') fail(`Event "${event}" is not known: use "Object Created"`);
	const options = (ctx.getNodeParameter('options', {}) as IDataObject) ?? {};
	const pattern = String(options.keyPattern ?? '');
	let matches: KeyMatcher = () => true;
	try {
		matches = compileKeyGlob(pattern);
	} catch (e) {
		fail(`Key Pattern "${pattern}" is not a valid glob (${(e as Error).message}): use e.g. *.csv or invoices/**/*.pdf`);
	}
	const number = (name: string, label: string, fallback: number, min: number, integer: boolean): number => {
		const raw = options[name];
		if (raw === undefined || raw === '' || raw === null) return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
			fail(`${label} must be a ${integer ? 'whole ' : ''}number of at least ${min} (got "${String(raw)}")`);
		}
		return n;
	};
	const binaryProperty = String(options.binaryPropertyName ?? 'data').trim();
	const download = options.download === true;
	if (download && !binaryProperty) fail('Binary Property is empty: give a property name such as "data"');
	return {
		bucket,
		prefix,
		matches,
		download,
		binaryProperty,
		maxDownloadBytes: number('maxDownloadSize', 'Max Download Size (MiB)', DEFAULT_MAX_DOWNLOAD_MIB, 0, false) * MiB,
		maxObjects: number('maxObjectsPerPoll', 'Max Objects per Poll', DEFAULT_MAX_OBJECTS_PER_POLL, 1, true),
		window: number('lookBackMinutes', 'Look-Back Window (Minutes)', DEFAULT_LOOK_BACK_MINUTES, 0, false) * 60_000,
		keysInTimeOrder: options.keysInTimeOrder === true,
		emitExisting: options.emitExisting === true,
	};
}

/** A listed object as the trigger sees it; undefined for folder markers (keys ending in "/", 0 bytes). */
function toListed(o: _Object): ListedObject | undefined {
	const key = o.Key ?? '';
	const size = o.Size ?? 0;
	if (!key || (key.endsWith('/') && size === 0)) return undefined;
	return {
		key,
		etag: normalizeEtag(o.ETag) ?? '',
		lastModified: o.LastModified ? o.LastModified.getTime() : 0,
		size,
		storageClass: o.StorageClass,
	};
}

/**
 * Watches every response of `client` for the server's `Date` header and counts requests.
 * @returns live counters (serverTime: ms of the first response that had one)
 */
function watchResponses(client: S3Client): { requests: number; serverTime?: number } {
	const seen: { requests: number; serverTime?: number } = { requests: 0 };
	client.middlewareStack.add(
		(next) => async (args) => {
			seen.requests++;
			const out = await next(args);
			const headers = (out.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
			const date = headers?.date ? Date.parse(headers.date) : NaN;
			if (seen.serverTime === undefined && !Number.isNaN(date)) seen.serverTime = date;
			return out;
		},
		{ step: 'deserialize', name: 's3StorageTriggerResponses' },
	);
	return seen;
}

/** The output item of one object; with Download on, its file (or why it has none). */
async function toItem(ctx: IPollFunctions, client: S3Client, s: TriggerSettings, o: ListedObject): Promise<INodeExecutionData> {
	const json: IDataObject = {
		event: 'objectCreated',
		bucket: s.bucket,
		key: o.key,
		size: o.size,
		etag: o.etag,
		lastModified: new Date(o.lastModified).toISOString(),
		storageClass: o.storageClass ?? 'STANDARD',
	};
	if (!s.download) return { json };
	if (s.maxDownloadBytes > 0 && o.size > s.maxDownloadBytes) {
		json.downloadSkipped = `The object is ${o.size} bytes, over Max Download Size (${s.maxDownloadBytes / MiB} MiB): raise that option (0 = no limit), or download it with an S3 Storage node`;
		return { json };
	}
	let res;
	try {
		// If-Match: exactly the version that was listed; a newer one is emitted by a later poll
		res = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: o.key, IfMatch: o.etag ? `"${o.etag}"` : undefined }));
	} catch (error) {
		const code = s3ErrorCode(error);
		const status = s3HttpStatus(error);
		if (code === 'PreconditionFailed' || status === 412) {
			json.downloadSkipped = 'The object was written again after it was listed: its new version comes in a later poll';
			return { json };
		}
		if (code === 'NoSuchKey' || (status === 404 && code !== 'NoSuchBucket')) {
			json.downloadSkipped = 'The object was deleted after it was listed';
			return { json };
		}
		if (status !== undefined && status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 429) {
			// this object cannot be read (no permission, archived, encrypted with a customer key...):
			// emit it without the file rather than fail every poll on it
			json.downloadSkipped = `The object could not be downloaded: ${code ?? `HTTP ${status}`}${code === 'InvalidObjectState' ? ' (archived: restore it first)' : ''}`;
			return { json };
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- pollBucket turns it into a NodeApiError with toNodeError, which needs the raw SDK error
		throw error;
	}
	const { binary, contentType } = await storeObjectBody(ctx.helpers, res, fileNameFromKey(o.key));
	json.contentType = contentType;
	return { json, binary: { [s.binaryProperty]: binary } };
}

/**
 * The trigger's poll (S3 API: ListObjectsV2, paged; GetObject per emitted object with
 * Download on).
 *
 * - Trigger mode: lists the prefix (with keysInTimeOrder, only after the state's cursor), emits
 *   each object created since the previous poll once, oldest first, at most maxObjectsPerPoll;
 *   the first poll after activation only records what exists (unless emitExisting). The state
 *   in the workflow's static data changes only when the whole poll succeeded.
 * - Manual mode (Fetch Test Event): the newest matching object, state untouched.
 *
 * @returns one list of items (one per object), or null when there is nothing new
 * @throws NodeOperationError for bad parameters or credential fields, or when Fetch Test Event
 *   finds no object; NodeApiError (explained as in the action node) when S3 fails
 */
export async function pollBucket(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	const s = readSettings(this);
	const credentials = await this.getCredentials<S3StorageCredentials>('s3StorageApi');
	const { client, endpoint, secrets } = connect(node, credentials);
	const target = { bucket: s.bucket, endpoint };
	const responses = watchResponses(client);
	try {
		if (this.getMode() === 'manual') return await fetchTestEvent(this, client, s);

		const staticData = this.getWorkflowStaticData('node');
		if (pollsRunning.has(staticData)) {
			this.logger.warn('S3 Storage Trigger: the previous poll is still running, so this one is skipped (poll less often if this repeats)');
			return null;
		}
		pollsRunning.add(staticData);
		try {
			return await pollOnce(this, client, s, staticData, responses);
		} finally {
			pollsRunning.delete(staticData);
		}
	} catch (error) {
		throw toNodeError(node, error, 0, target, secrets);
	} finally {
		client.destroy();
	}
}

/** One poll in trigger mode (see pollBucket); writes the state only when everything succeeded. */
async function pollOnce(
	ctx: IPollFunctions,
	client: S3Client,
	s: TriggerSettings,
	staticData: Record<string, unknown>,
	responses: { requests: number; serverTime?: number },
): Promise<INodeExecutionData[][] | null> {
	const scope = scopeOf(s.bucket, s.prefix);
	const previous = readState(staticData, scope);
	const baseline = !previous && !s.emitExisting;
	const plan = new PollPlan(previous, { window: s.window, maxObjects: s.maxObjects, matches: s.matches, keysInTimeOrder: s.keysInTimeOrder }, baseline);
	const startAfter = s.keysInTimeOrder ? previous?.cursor : undefined;
	for await (const page of listPages(client, { bucket: s.bucket, prefix: s.prefix, startAfter })) {
		plan.setServerTime(responses.serverTime);
		for (const raw of page.contents) {
			const o = toListed(raw);
			if (o) plan.add(o);
		}
	}
	const listRequests = responses.requests;
	const { emit, pending, state } = plan.finish(scope);
	const items: INodeExecutionData[] = new Array(emit.length);
	await runBounded(emit.length, s.download ? DOWNLOAD_CONCURRENCY : emit.length || 1, async (i) => {
		items[i] = await toItem(ctx, client, s, emit[i]);
	});
	// only now, with every item ready: a poll that fails half-way leaves the state as it was
	writeState(staticData, state);
	ctx.logger.debug(
		`S3 Storage Trigger: ${baseline ? 'first poll, recorded' : 'listed'} ${plan.listed} objects with ${listRequests} ListObjectsV2 requests; ` +
			`emitting ${emit.length}${pending ? `, ${pending} more in later polls` : ''}; state ${stateSize(state)} bytes`,
		{ listed: plan.listed, listRequests, emitted: emit.length, pending, stateBytes: stateSize(state), baseline },
	);
	return items.length ? [items] : null;
}

/** Fetch Test Event: the newest object matching the settings (with its file when Download is on). */
async function fetchTestEvent(ctx: IPollFunctions, client: S3Client, s: TriggerSettings): Promise<INodeExecutionData[][]> {
	let newest: ListedObject | undefined;
	for await (const page of listPages(client, { bucket: s.bucket, prefix: s.prefix })) {
		for (const raw of page.contents) {
			const o = toListed(raw);
			if (!o || !s.matches(o.key)) continue;
			if (!newest || o.lastModified > newest.lastModified || (o.lastModified === newest.lastModified && o.key > newest.key)) newest = o;
		}
	}
	if (!newest) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No object${s.prefix ? ` under "${s.prefix}"` : ''} in bucket "${s.bucket}" matches the trigger's settings: upload one, then fetch the test event again`,
		);
	}
	return [[await toItem(ctx, client, s, newest)]];
}
