import { open, type FileHandle } from 'node:fs/promises';
import {
	AbortMultipartUploadCommand,
	ChecksumAlgorithm,
	CompleteMultipartUploadCommand,
	CreateMultipartUploadCommand,
	PutObjectCommand,
	PutObjectTaggingCommand,
	UploadPartCommand,
	type CompletedPart,
	type Tag,
	type PutObjectCommandInput,
	type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterCancel, cancelledError } from '../transport/client';
import type { UploadSource } from './binary';

/** How {@link uploadObject} sends one body. */
export interface UploadSettings {
	/** Bytes per part (at least 5 MiB); a body of at most this many bytes is sent as one PutObject. */
	partSize: number;
	/** Parts of one multipart upload sent at the same time. */
	queueSize: number;
	/** Aborts the upload (and its multipart upload on the server) when n8n cancels the execution. */
	abortSignal?: AbortSignal;
}

/** What {@link uploadObject} returns: the server's answer, and the bytes sent when they were counted. */
export interface UploadResult {
	ETag?: string;
	VersionId?: string;
	/** Bytes sent, when the source's length was not known in advance (a stream of unknown length). */
	uploaded?: number;
}

/**
 * Stores one body at `params.Bucket`/`params.Key` (every other field of `params` but `Body`
 * and `ContentLength` is passed on: content type, metadata, ACL, tags, encryption...), the
 * fastest way its source allows:
 *  - a Buffer of at most `partSize` bytes: one PutObject;
 *  - a file in n8n's filesystem binary store (`source.filePath`) larger than a part:
 *    {@link uploadFileInParts}, each part read from its own offset of the file straight into one
 *    of `queueSize` reused part buffers (no stream re-chunking, no new memory per part);
 *  - anything else (a stream from the database or S3 binary store, a large Buffer): lib-storage's
 *    Upload, which streams it in parts of `partSize`.
 * A failed or cancelled multipart upload is aborted (AbortMultipartUpload) before this returns,
 * and a stream source is closed. Tags (`params.Tagging`) of a multipart upload are set with
 * PutObjectTagging once it is complete: some servers (Ceph RGW) ignore them on
 * CreateMultipartUpload.
 *
 * @throws the SDK's error (the router turns it into a NodeApiError), or an AbortError on cancel
 */
export async function uploadObject(client: S3Client, params: PutObjectCommandInput, source: UploadSource, settings: UploadSettings): Promise<UploadResult> {
	const { partSize, abortSignal } = settings;
	const body = source.body;
	if (Buffer.isBuffer(body) && body.length <= partSize) {
		// One part: the PutObject lib-storage would send, without its per-upload machinery
		// (it adds up for thousands of small items). Sent without per-call options: the client's
		// cancel (ClientOptions.abortSignal, the same signal) stops it, with nothing added per request.
		if (abortSignal?.aborted) throw cancelledError();
		return await client.send(new PutObjectCommand({ ...params, Body: body }));
	}
	if (source.filePath && source.contentLength !== undefined && source.contentLength > partSize) {
		// the stream readBinaryInput opened is not needed: the parts are read from the file
		if (!Buffer.isBuffer(body)) body.destroy();
		return await uploadFileInParts(client, params, { path: source.filePath, size: source.contentLength }, settings);
	}
	return await libStorageUpload(client, { ...params, Body: body, ...(source.contentLength !== undefined && !Buffer.isBuffer(body) ? { ContentLength: source.contentLength } : {}) }, settings);
}

/**
 * Sends `params.Body` with lib-storage's Upload (multipart above the part size, `queueSize`
 * parts in flight). On failure the multipart upload is aborted and the input stream closed
 * before this returns; a cancelled execution stops it the same way.
 */
async function libStorageUpload(client: S3Client, params: PutObjectCommandInput, settings: UploadSettings): Promise<UploadResult> {
	const { partSize, queueSize, abortSignal } = settings;
	const abortController = new AbortController();
	const onCancel = () => abortController.abort();
	abortSignal?.addEventListener('abort', onCancel);
	// lib-storage sets `tags` with PutObjectTagging once the object is stored
	const tags = tagSetOf(params.Tagging);
	const upload = new Upload({ client, params: { ...params, Tagging: undefined }, tags, partSize, queueSize, leavePartsOnError: false, abortController });
	let uploaded = 0;
	upload.on('httpUploadProgress', (p) => {
		if (typeof p.loaded === 'number') uploaded = Math.max(uploaded, p.loaded);
	});
	try {
		const result = await upload.done();
		return { ETag: result.ETag, VersionId: result.VersionId, uploaded: uploaded || undefined };
	} catch (error) {
		// Make sure a stream we opened is closed.
		const body = params.Body as { destroy?: () => void } | undefined;
		if (body && !Buffer.isBuffer(body) && typeof body.destroy === 'function') body.destroy();
		// lib-storage aborts the multipart upload itself when a part or the input fails, but on a
		// cancelled execution done() rejects at once while its abort still runs in the background
		// (after router.ts has destroyed the client): abort here and wait for it, so no open
		// upload (and its stored parts) is left behind. AbortMultipartUpload is idempotent.
		if (upload.uploadId) {
			await client.send(new AbortMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: upload.uploadId }), afterCancel()).catch(() => undefined);
		}
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError turns it into a NodeApiError with the S3 code, HTTP status and endpoint (it needs the raw error for that)
		throw error;
	} finally {
		abortSignal?.removeEventListener('abort', onCancel);
	}
}

/** The tags of an `x-amz-tagging` string (`k1=v1&k2=v2`, URL-encoded). */
function tagSetOf(tagging: string | undefined): Tag[] {
	if (!tagging) return [];
	return [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Multipart upload of a local file of `file.size` bytes (S3 API: CreateMultipartUpload,
 * UploadPart × ⌈size / partSize⌉ with `queueSize` in flight, CompleteMultipartUpload). Each part
 * is read with one positioned read into one of `queueSize` part buffers that are reused for
 * the whole upload, and sent as a Buffer with its length: the SDK signs it and retries it as it
 * would any request (a stream body would not be retried), and n8n's process allocates no new
 * memory per part (in n8n's large heap, every MiB of fresh Buffers costs garbage collection).
 * Memory: partSize × queueSize, whatever the file size. With the client's request checksums on
 * (`WHEN_SUPPORTED`), each part carries a CRC32 as lib-storage would send it. Tags
 * (`params.Tagging`) are set with PutObjectTagging after CompleteMultipartUpload.
 *
 * On any failure (a part, the file, CompleteMultipartUpload) or cancellation, the parts still
 * in flight are stopped and the multipart upload is aborted (AbortMultipartUpload) before this
 * returns, so nothing is left on the server.
 *
 * @throws the first error (the SDK's, or the file system's; "shorter than expected" when the
 *   file has fewer bytes than `file.size`), or an AbortError when `abortSignal` fired
 */
export async function uploadFileInParts(
	client: S3Client,
	params: PutObjectCommandInput,
	file: { path: string; size: number },
	settings: UploadSettings,
): Promise<UploadResult> {
	const { partSize, abortSignal } = settings;
	const partCount = Math.max(1, Math.ceil(file.size / partSize));
	const lanes = Math.max(1, Math.min(settings.queueSize, partCount));
	if (abortSignal?.aborted) throw cancelledError();

	// stops the requests in flight on the first failure, or when the execution is cancelled
	const stop = new AbortController();
	const onCancel = () => stop.abort();
	abortSignal?.addEventListener('abort', onCancel);
	const objectParams = { ...params, Body: undefined, ContentLength: undefined, Tagging: undefined };
	const tags = tagSetOf(params.Tagging);
	const withChecksums = (await client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
	const checksumAlgorithm = withChecksums ? (params.ChecksumAlgorithm ?? ChecksumAlgorithm.CRC32) : undefined;

	let handle: FileHandle | undefined;
	let uploadId: string | undefined;
	try {
		handle = await open(file.path, 'r');
		const fh = handle;
		const created = await client.send(new CreateMultipartUploadCommand({ ...objectParams, ChecksumAlgorithm: checksumAlgorithm }), { abortSignal: stop.signal });
		uploadId = created.UploadId;
		if (!uploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
		const id = uploadId;

		const parts: CompletedPart[] = new Array(partCount);
		// the first error; errors of requests stopped because of it are not reported
		let failure: { error: unknown } | undefined;
		let next = 0;
		const lane = async (buffer: Buffer) => {
			while (!failure && !stop.signal.aborted && next < partCount) {
				const index = next++;
				try {
					await sendPart(index, buffer);
				} catch (error) {
					failure ??= { error };
					stop.abort(); // the other lanes' requests end now, not after their part
				}
			}
		};
		const sendPart = async (index: number, buffer: Buffer) => {
			const start = index * partSize;
			const length = Math.min(partSize, file.size - start);
			let got = 0;
			while (got < length) {
				const { bytesRead } = await fh.read(buffer, got, length - got, start + got);
				if (bytesRead === 0) throw new Error(`The binary file is shorter than expected: ${start + got} of ${file.size} bytes`);
				got += bytesRead;
			}
			const part = await client.send(
				new UploadPartCommand({
					Bucket: params.Bucket,
					Key: params.Key,
					UploadId: id,
					PartNumber: index + 1,
					Body: buffer.subarray(0, length),
					ContentLength: length,
					ChecksumAlgorithm: checksumAlgorithm,
					SSECustomerAlgorithm: params.SSECustomerAlgorithm,
					SSECustomerKey: params.SSECustomerKey,
					SSECustomerKeyMD5: params.SSECustomerKeyMD5,
				}),
				{ abortSignal: stop.signal },
			);
			if (!part.ETag) throw new Error(`UploadPart ${index + 1} answered without an ETag`);
			parts[index] = {
				PartNumber: index + 1,
				ETag: part.ETag,
				...(part.ChecksumCRC32 && { ChecksumCRC32: part.ChecksumCRC32 }),
				...(part.ChecksumCRC32C && { ChecksumCRC32C: part.ChecksumCRC32C }),
				...(part.ChecksumSHA1 && { ChecksumSHA1: part.ChecksumSHA1 }),
				...(part.ChecksumSHA256 && { ChecksumSHA256: part.ChecksumSHA256 }),
			};
		};
		// one part buffer per lane, reused for every part the lane sends
		const bufferSize = Math.min(partSize, file.size);
		await Promise.all(Array.from({ length: lanes }, async () => await lane(Buffer.allocUnsafeSlow(bufferSize))));
		if (failure) throw failure.error;
		if (stop.signal.aborted) throw cancelledError();
		const done = await client.send(
			new CompleteMultipartUploadCommand({
				Bucket: params.Bucket,
				Key: params.Key,
				UploadId: id,
				MultipartUpload: { Parts: parts },
				SSECustomerAlgorithm: params.SSECustomerAlgorithm,
				SSECustomerKey: params.SSECustomerKey,
				SSECustomerKeyMD5: params.SSECustomerKeyMD5,
			}),
			{ abortSignal: stop.signal },
		);
		uploadId = undefined; // complete: nothing to abort any more
		if (tags.length) {
			await client.send(new PutObjectTaggingCommand({ Bucket: params.Bucket, Key: params.Key, VersionId: done.VersionId, Tagging: { TagSet: tags } }), { abortSignal });
		}
		return { ETag: done.ETag, VersionId: done.VersionId };
	} catch (error) {
		if (uploadId) {
			// not with the stopped signal; AbortMultipartUpload is idempotent
			await client.send(new AbortMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: uploadId }), afterCancel()).catch(() => undefined);
		}
		// a request stopped by a cancellation says "aborted": report the cancellation
		if (abortSignal?.aborted) throw cancelledError();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the raw SDK error goes to router.ts, whose toNodeError turns it into a NodeApiError with the S3 code, HTTP status and endpoint (it needs the raw error for that)
		throw error;
	} finally {
		abortSignal?.removeEventListener('abort', onCancel);
		await handle?.close().catch(() => undefined);
	}
}
