import {
	AbortMultipartUploadCommand,
	CompleteMultipartUploadCommand,
	CreateMultipartUploadCommand,
	UploadPartCopyCommand,
	type CompletedPart,
	type CreateMultipartUploadCommandInput,
	type S3Client,
} from '@aws-sdk/client-s3';
import { runBounded } from './concurrency';
import { afterCancel } from '../transport/client';

const MiB = 1024 * 1024;

/**
 * Part size and parts in flight of {@link multipartCopy}. The copy runs inside the server (no
 * bytes pass through n8n), so large parts cost nothing here: 512 MiB parts make a 5 TiB object
 * (S3's largest) 10,000 parts. Exported so tests can copy small objects in several parts.
 */
export const multipartCopyTuning = { partSize: 512 * MiB, queueSize: 4 };

/**
 * Whether an S3 error says the copy source is over CopyObject's size limit: AWS answers
 * 400 InvalidRequest "The specified copy source is larger than the maximum allowable size for
 * a copy source: 5368709120"; other servers use EntityTooLarge or InvalidArgument with a
 * similar text.
 */
export function isCopySourceTooLarge(error: unknown): boolean {
	const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
	const code = e?.Code ?? e?.name;
	const status = e?.$metadata?.httpStatusCode;
	if (code === 'EntityTooLarge') return true;
	if (status !== undefined && status !== 400) return false;
	return /copy source is larger|maximum allowable size for a copy source|copy source .*too large|object size .*(greater|larger) than 5\s*GB/i.test(String(e?.message ?? ''));
}

/** A copy source for {@link multipartCopy}: bucket, key, version, size in bytes, ETag. */
export interface CopySourceObject {
	/** the encoded x-amz-copy-source value (bucket/key[?versionId=...]) */
	copySource: string;
	/** bytes */
	size: number;
	/** the source's ETag: every part is copied with x-amz-copy-source-if-match, so a source replaced mid-copy fails the copy */
	etag?: string;
}

/**
 * Server-side copy of an object of any size (S3 API: CreateMultipartUpload, UploadPartCopy with
 * byte ranges, `queueSize` parts at once, CompleteMultipartUpload). `target` carries the new
 * object's Bucket, Key and headers (content type, metadata, ACL, storage class): a
 * multipart copy does not take them from the source, so the caller reads them (HeadObject).
 * Parts are `partSize` bytes (raised to stay within 10,000 parts). On any failure, or when
 * `abortSignal` fires, the multipart upload is aborted (AbortMultipartUpload) before the error
 * is rethrown, so no parts are left stored.
 *
 * @returns the CompleteMultipartUpload answer's ETag and VersionId (ETag may be empty on some servers)
 * @throws the SDK's error of the request that failed (of the lowest-numbered part, when parts fail)
 */
export async function multipartCopy(
	client: S3Client,
	source: CopySourceObject,
	target: CreateMultipartUploadCommandInput,
	{ abortSignal, partSize = multipartCopyTuning.partSize, queueSize = multipartCopyTuning.queueSize }: { abortSignal?: AbortSignal; partSize?: number; queueSize?: number } = {},
): Promise<{ ETag?: string; VersionId?: string }> {
	const size = Math.max(1, Math.ceil(source.size / 10_000), partSize);
	const ranges: Array<[number, number]> = [];
	for (let start = 0; start < source.size; start += size) ranges.push([start, Math.min(start + size, source.size) - 1]);

	const created = await client.send(new CreateMultipartUploadCommand(target), { abortSignal });
	const { Bucket, Key } = target;
	const UploadId = created.UploadId;
	try {
		const parts: CompletedPart[] = new Array(ranges.length);
		// runBounded lets every running part settle before it rethrows, so the abort below comes
		// after the last part (a part still being copied could otherwise be stored after it)
		await runBounded(ranges.length, queueSize, async (index) => {
			const [first, last] = ranges[index];
			const out = await client.send(
				new UploadPartCopyCommand({
					Bucket,
					Key,
					UploadId,
					PartNumber: index + 1,
					CopySource: source.copySource,
					CopySourceRange: `bytes=${first}-${last}`,
					CopySourceIfMatch: source.etag,
				}),
				{ abortSignal },
			);
			parts[index] = { PartNumber: index + 1, ETag: out.CopyPartResult?.ETag };
		});
		const done = await client.send(
			new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
			{ abortSignal },
		);
		return { ETag: done.ETag, VersionId: done.VersionId };
	} catch (error) {
		// not with abortSignal: the abort must go out even for a cancelled execution
		await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }), afterCancel()).catch(() => undefined);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError maps it (it needs the raw error)
		throw error;
	}
}
