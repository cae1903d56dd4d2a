import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';

/** What a batch delete did: keys gone (a missing key counts, as S3 says) and per-key errors. */
export interface DeleteResult {
	deleted: string[];
	errors: Array<{ key: string; code: string; message: string }>;
	/** DeleteObjects requests sent. */
	requests: number;
}

/** S3's limit of keys per DeleteObjects request. */
export const DELETE_BATCH = 1000;

/**
 * Deletes keys with DeleteObjects (S3 API), at most 1000 per request, in quiet mode (the
 * server reports only failures; every other key is deleted). Appends to `into` so callers
 * can feed several pages into one result.
 *
 * @throws the SDK's error when a whole request fails (e.g. NoSuchBucket, AccessDenied)
 */
export async function deleteKeys(
	client: S3Client,
	bucket: string,
	keys: string[],
	abortSignal?: AbortSignal,
	into: DeleteResult = { deleted: [], errors: [], requests: 0 },
): Promise<DeleteResult> {
	for (let start = 0; start < keys.length; start += DELETE_BATCH) {
		const batch = keys.slice(start, start + DELETE_BATCH);
		const out = await client.send(
			new DeleteObjectsCommand({
				Bucket: bucket,
				Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
			}),
			{ abortSignal },
		);
		into.requests++;
		const failed = new Set<string>();
		for (const e of out.Errors ?? []) {
			const key = e.Key ?? '';
			failed.add(key);
			into.errors.push({ key, code: e.Code ?? 'Error', message: e.Message ?? '' });
		}
		for (const key of batch) if (!failed.has(key)) into.deleted.push(key);
	}
	return into;
}
