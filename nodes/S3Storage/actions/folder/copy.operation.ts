import { CopyObjectCommand, ListObjectsV2Command, type CopyObjectCommandInput } from '@aws-sdk/client-s3';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { forEachPaged } from '../../../shared/helpers/concurrency';
import { DELETE_BATCH, deleteKeys, type DeleteResult } from '../../../shared/helpers/deletion';
import { listPages } from '../../../shared/helpers/listing';
import { isCopySourceTooLarge } from '../../../shared/helpers/multipartCopy';
import { getBucketParam, getOptions } from '../../../shared/helpers/params';
import { normalizeFolderKey } from '../../../shared/helpers/validation';
import { s3ErrorCode } from '../../../shared/transport/errors';
import { copyLarge, copySource } from '../object/copy.operation';
import { bucketLocator, optionsCollection, showFor, folderKeyField } from '../common.descriptions';
import type { OperationContext } from '../types';

/**
 * Default objects copied at the same time by Folder → Copy / Move. Measured in n8n
 * (bench/folders.js --folders-in-flight=8,16,32,64: Folder Copy of 5,000 × 4 KiB on Ceph RGW,
 * 2 cores shared with other work, load average 16–19, so rough): 8 → 63.6 s, 16 → 52.1 s,
 * 32 → 44.2 s, 64 → 76.7 s (the client's connection pool holds 50 sockets). To be measured again
 * on a quiet machine.
 */
export const DEFAULT_OBJECTS_IN_FLIGHT = 32;

/** CopyObject's size limit (5 GiB): larger sources go straight to the multipart copy. */
const COPY_OBJECT_LIMIT = 5 * 1024 * 1024 * 1024;

/** The "Objects in Flight" option, shared by Folder → Copy, Move and Download. */
export function objectsInFlightOption(defaultValue: number, what: string): INodeProperties {
	return {
		displayName: 'Objects in Flight',
		name: 'objectsInFlight',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 256 },
		default: defaultValue,
		description: `How many objects are ${what} at the same time`,
	};
}

/** Reads a folder key parameter: "/" is the whole bucket (""), empty is refused. */
export function readFolderKey(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string, example: string): string {
	const raw = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!raw) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty: give a folder such as "${example}" (or "/" for the whole bucket)`, { itemIndex });
	}
	return normalizeFolderKey(raw);
}

/** Reads the Objects in Flight option (a whole number ≥ 1). */
export function readObjectsInFlight(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject, defaultValue: number): number {
	const value = options.objectsInFlight === undefined ? defaultValue : Number(options.objectsInFlight);
	if (!Number.isInteger(value) || value < 1) {
		throw new NodeOperationError(ctx.getNode(), `Objects in Flight must be a whole number of at least 1 (got ${JSON.stringify(options.objectsInFlight)})`, { itemIndex });
	}
	return value;
}

/** Source and destination parameters, shared by Folder → Copy and Move. */
export function folderCopyParameters(operation: 'copy' | 'move'): INodeProperties[] {
	const verb = operation;
	return [
		...showFor('folder', operation, [
			bucketLocator('bucketName', 'Bucket Name', `The bucket to ${verb} the folder from`),
			folderKeyField(`The folder to ${verb}, with everything under it; a trailing "/" is added when missing. "/" alone: every object in the bucket.`),
			bucketLocator('destinationBucketName', 'Destination Bucket Name', `The bucket to ${verb} to (may be the same)`),
			{
				displayName: 'Destination Folder Key',
				name: 'destinationFolderKey',
				type: 'string',
				default: '',
				placeholder: 'archive/reports/2024/',
				description:
					'Where the objects go: each key becomes this folder + the part of the key after the source folder. A trailing "/" is added; empty or "/" means the top of the destination bucket. Existing objects there are replaced.',
			},
		]),
		optionsCollection('folder', operation, [objectsInFlightOption(DEFAULT_OBJECTS_IN_FLIGHT, 'copied')]),
	];
}

export const description = folderCopyParameters('copy');

/** A per-object failure, as listed in the output's `errors`. */
interface KeyError {
	key: string;
	code: string;
	message: string;
}

function keyError(key: string, error: unknown): KeyError {
	const e = error as { message?: string; code?: string; name?: string };
	return { key, code: s3ErrorCode(error) ?? e?.code ?? e?.name ?? 'Error', message: String(e?.message ?? error) };
}

/**
 * Copies (and for `move`, deletes) every object under a folder, server-side. See {@link execute}.
 */
export async function copyFolder(this: IExecuteFunctions, ctx: OperationContext, move: boolean): Promise<IDataObject> {
	const i = ctx.itemIndex;
	const sourceBucket = getBucketParam(this, i);
	const sourcePrefix = readFolderKey(this, i, 'folderKey', 'Folder Key', 'reports/2024/');
	const bucket = getBucketParam(this, i, 'destinationBucketName', 'Destination Bucket Name');
	const destPrefix = normalizeFolderKey(String(this.getNodeParameter('destinationFolderKey', i, '') ?? ''));
	const options = getOptions(this, i);
	const inFlight = readObjectsInFlight(this, i, options, DEFAULT_OBJECTS_IN_FLIGHT);
	const verb = move ? 'move' : 'copy';
	const show = (p: string) => `"${p || '/'}"`;
	if (sourceBucket === bucket && destPrefix.startsWith(sourcePrefix)) {
		throw new NodeOperationError(
			this.getNode(),
			`Cannot ${verb} folder ${show(sourcePrefix)} into ${destPrefix === sourcePrefix ? 'itself' : `its own subfolder ${show(destPrefix)}`} in bucket "${bucket}": choose a Destination Folder Key outside the source folder, or another bucket`,
			{ itemIndex: i },
		);
	}
	ctx.target.bucket = sourceBucket;
	if (sourceBucket === bucket && sourcePrefix.startsWith(destPrefix)) {
		// Moving up (e.g. "a/b/" to "a/"): keys under "a/b/b/" would land on "a/b/...", inside
		// the source folder, replacing objects not yet copied. Refused when there are any.
		const clash = sourcePrefix + sourcePrefix.slice(destPrefix.length);
		const probe = await ctx.client.send(new ListObjectsV2Command({ Bucket: sourceBucket, Prefix: clash, MaxKeys: 1 }), { abortSignal: ctx.abortSignal });
		if ((probe.Contents ?? []).length) {
			throw new NodeOperationError(
				this.getNode(),
				`Cannot ${verb} folder ${show(sourcePrefix)} to ${show(destPrefix)}: objects under "${clash}" would be written back into the source folder (e.g. "${probe.Contents?.[0]?.Key}" → "${destPrefix}${probe.Contents?.[0]?.Key?.slice(sourcePrefix.length)}"). Use another Destination Folder Key or bucket.`,
				{ itemIndex: i },
			);
		}
	}

	let copied = 0;
	const errors: KeyError[] = [];
	const deletion: DeleteResult = { deleted: [], errors: [], requests: 0 };
	let moved = 0;
	let toDelete: string[] = [];
	const flush = async (keys: string[]) => {
		if (!keys.length) return;
		const before = deletion.deleted.length;
		try {
			await deleteKeys(ctx.client, sourceBucket, keys, ctx.abortSignal, deletion);
		} catch (error) {
			for (const key of keys) errors.push({ ...keyError(key, error), message: `copied, but the source could not be deleted: ${String((error as Error)?.message ?? error)}` });
		}
		moved += deletion.deleted.length - before;
		// only counts and errors are kept, not every key (a folder may hold millions)
		deletion.deleted.length = 0;
		for (const e of deletion.errors) errors.push({ ...e, message: `copied, but the source could not be deleted: ${e.message}` });
		deletion.errors.length = 0;
	};

	const pages = (async function* () {
		for await (const page of listPages(ctx.client, { bucket: sourceBucket, prefix: sourcePrefix, abortSignal: ctx.abortSignal })) yield page.contents;
	})();
	await forEachPaged(pages, inFlight, async (object) => {
		const key = object.Key;
		if (!key) return;
		const input: CopyObjectCommandInput = { Bucket: bucket, Key: destPrefix + key.slice(sourcePrefix.length), CopySource: copySource(sourceBucket, key) };
		try {
			if ((object.Size ?? 0) > COPY_OBJECT_LIMIT) {
				await copyLarge(ctx, input, false, { Bucket: sourceBucket, Key: key });
			} else {
				try {
					// without per-call options, so the client's cached middleware serves every request; the
					// client's HTTP handler stops it when the execution is cancelled (router.ts gives it the signal)
					await ctx.client.send(new CopyObjectCommand(input));
				} catch (error) {
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- caught below and listed in `errors`
					if (!isCopySourceTooLarge(error)) throw error;
					await copyLarge(ctx, input, false, { Bucket: sourceBucket, Key: key });
				}
			}
		} catch (error) {
			// a cancelled execution stops the whole run; anything else is this object's failure
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, which maps it
			if (ctx.abortSignal?.aborted) throw error;
			errors.push(keyError(key, error));
			return;
		}
		copied++;
		if (move) {
			toDelete.push(key);
			if (toDelete.length >= DELETE_BATCH) {
				const batch = toDelete;
				toDelete = [];
				await flush(batch);
			}
		}
	});
	if (move) await flush(toDelete);

	const json: IDataObject = { sourceBucket, sourceFolderKey: sourcePrefix, bucket, folderKey: destPrefix, copied, errors };
	if (move) json.moved = moved;
	return json;
}

/**
 * Folder → Copy: copies every object whose key starts with the folder key to the destination
 * bucket and folder, server-side (S3 API: ListObjectsV2 page by page; CopyObject per object,
 * `objectsInFlight` at once; above 5 GiB the multipart copy: HeadObject, GetObjectTagging,
 * CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload, PutObjectTagging). Content
 * type, metadata and tags are carried over (CopyObject's COPY directives). Only the current
 * list page is held in memory. Copying a folder into itself or below itself is refused before
 * any request; so is moving a folder up when objects would be written back into it (one
 * ListObjectsV2 of MaxKeys 1 to check).
 *
 * Output: { sourceBucket, sourceFolderKey, bucket, folderKey, copied (objects), errors: [{ key,
 * code, message }] } — an object that failed to copy is in `errors`, the rest are copied.
 * @throws NodeOperationError for an empty folder key or a copy into itself; the SDK's error when
 *   listing fails (e.g. NoSuchBucket)
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	return [{ json: await copyFolder.call(this, ctx, false) }];
}
