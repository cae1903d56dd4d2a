import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { NodeOperationError, type BinaryHelperFunctions, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

/** A body to upload: bytes in memory, or a stream with its length when known. */
export interface UploadSource {
	body: Buffer | Readable;
	/** Bytes, when known in advance (memory data, or the binary data store's metadata). */
	contentLength?: number;
	/** The binary's file name and MIME type, when the input was binary. */
	fileName?: string;
	mimeType?: string;
	/**
	 * Where the bytes are on this machine, when the binary is a file in n8n's filesystem binary
	 * store whose size is `contentLength` (checked): an uploader may read it part by part at
	 * any offset instead of reading `body` (see helpers/upload.ts).
	 */
	filePath?: string;
}

/** How {@link readBinaryInput} reads data from n8n's binary data store. */
export interface ReadBinaryOptions {
	/** Files of at most this many bytes are read into a Buffer rather than streamed. */
	bufferUpTo?: number;
	/** Read size of the stream (highWaterMark); n8n's default is 64 KiB. */
	chunkSize?: number;
}

/**
 * Reads an item's binary property for upload. Data kept in n8n's binary data store
 * (filesystem, S3 or database mode: the binary has an `id`) is streamed with
 * `helpers.getBinaryStream`, so memory does not grow with the file size; data held in the item
 * (default mode) is decoded from base64. A stored file of at most `bufferUpTo` bytes is read
 * into memory instead (one read, no stream: cheaper for many small files; it is one part anyway).
 * The size comes from the binary's `bytes`, else from the store's metadata. A larger file in
 * the filesystem store also gets its `filePath` (see {@link UploadSource.filePath}).
 *
 * @throws NodeOperationError when the item has no binary property of that name; the message
 *   lists the properties the item does have
 */
export async function readBinaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	options: ReadBinaryOptions = {},
): Promise<UploadSource> {
	const item = ctx.getInputData()[itemIndex];
	const name = propertyName.trim();
	const present = Object.keys(item?.binary ?? {});
	if (!name || !item?.binary?.[name]) {
		const has = present.length
			? `the item has: ${present.map((p) => `"${p}"`).join(', ')}`
			: 'the item has no binary data at all (use a node such as Read/Write Files from Disk or HTTP Request before this one, or pick Input Type "Text" or "Base64")';
		throw new NodeOperationError(
			ctx.getNode(),
			`No binary property "${name}" on the input item: set "Input Binary Field" to one that exists; ${has}`,
			{ itemIndex },
		);
	}
	const binary: IBinaryData = ctx.helpers.assertBinaryData(itemIndex, name);
	if (binary.id) {
		const known = typeof binary.bytes === 'number' && binary.bytes >= 0;
		const meta = known ? undefined : await ctx.helpers.getBinaryMetadata(binary.id).catch(() => undefined);
		const size = known ? binary.bytes : meta?.fileSize;
		const contentLength = typeof size === 'number' && size >= 0 ? size : undefined;
		const fileName = binary.fileName ?? meta?.fileName;
		const mimeType = binary.mimeType ?? meta?.mimeType;
		if (contentLength !== undefined && options.bufferUpTo !== undefined && contentLength <= options.bufferUpTo) {
			const body = (await readSmallStoredFile(ctx, binary.id, contentLength)) ?? (await ctx.helpers.getBinaryDataBuffer(itemIndex, name));
			return { body, contentLength: body.length, fileName, mimeType };
		}
		const filePath = contentLength !== undefined ? await storedFilePath(ctx, binary.id, contentLength) : undefined;
		const stream = await ctx.helpers.getBinaryStream(binary.id, options.chunkSize);
		return { body: stream, contentLength, fileName, mimeType, filePath };
	}
	const buffer = Buffer.from(binary.data, 'base64');
	return { body: buffer, contentLength: buffer.length, fileName: binary.fileName, mimeType: binary.mimeType };
}

/**
 * The local path of a binary in n8n's filesystem binary store (ids `filesystem:...` and
 * `filesystem-v2:...`, path from `helpers.getBinaryPath`), when the file there has exactly
 * `size` bytes; undefined for the other stores (database, S3) or when the file cannot be checked.
 */
async function storedFilePath(ctx: IExecuteFunctions, binaryId: string, size: number): Promise<string | undefined> {
	if (!/^filesystem(-v2)?:/.test(binaryId) || typeof ctx.helpers.getBinaryPath !== 'function') return undefined;
	try {
		const filePath = ctx.helpers.getBinaryPath(binaryId);
		const info = await stat(filePath);
		return info.isFile() && info.size === size ? filePath : undefined;
	} catch {
		return undefined;
	}
}

/** Files up to this size (bytes) are read from n8n's filesystem store with synchronous calls. */
export const SYNC_READ_MAX = 64 * 1024;

/**
 * Reads a small file of `size` bytes from n8n's filesystem binary store with three file
 * operations (open, one read, close) where n8n's getBinaryDataBuffer needs six (access, open,
 * fstat, two reads, close): for thousands of small items it adds up. Up to {@link SYNC_READ_MAX}
 * the three are synchronous: on a file in the page cache they take ≈ 6 µs of CPU in all, where
 * the promise-based calls take ≈ 100 µs (each goes through libuv's thread pool and a FileHandle),
 * and that blocks the event loop for no longer than the promise bookkeeping would. Larger files
 * use the promise-based calls. Undefined (the caller falls back to n8n's helper) for the other
 * stores, or when the file is not exactly `size` bytes.
 */
async function readSmallStoredFile(ctx: IExecuteFunctions, binaryId: string, size: number): Promise<Buffer | undefined> {
	if (!/^filesystem(-v2)?:/.test(binaryId) || typeof ctx.helpers.getBinaryPath !== 'function') return undefined;
	// one byte more than expected: a longer file shows up as a longer read
	const buffer = Buffer.allocUnsafe(size + 1);
	if (size <= SYNC_READ_MAX) {
		let fd: number | undefined;
		try {
			fd = openSync(ctx.helpers.getBinaryPath(binaryId), 'r');
			const bytesRead = readSync(fd, buffer, 0, size + 1, 0);
			return bytesRead === size ? buffer.subarray(0, size) : undefined;
		} catch {
			return undefined;
		} finally {
			if (fd !== undefined) {
				try {
					closeSync(fd);
				} catch {
					// nothing was written: a failed close loses nothing
				}
			}
		}
	}
	let handle;
	try {
		handle = await open(ctx.helpers.getBinaryPath(binaryId), 'r');
		const { bytesRead } = await handle.read(buffer, 0, size + 1, 0);
		return bytesRead === size ? buffer.subarray(0, size) : undefined;
	} catch {
		return undefined;
	} finally {
		await handle?.close().catch(() => undefined);
	}
}

/**
 * Decodes a base64 (or base64url) string, accepting white space and a `data:...;base64,`
 * prefix.
 *
 * @throws NodeOperationError naming the "Content" parameter when the text is not base64
 */
export function decodeBase64(ctx: IExecuteFunctions, text: string, itemIndex: number): Buffer {
	const stripped = text.replace(/^data:[^,]*;base64,/i, '').replace(/\s+/g, '');
	const valid =
		/^[A-Za-z0-9+/]*={0,2}$/.test(stripped) || /^[A-Za-z0-9_-]*={0,2}$/.test(stripped);
	if (!valid || stripped.replace(/=+$/, '').length % 4 === 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Content is not valid base64: give a base64 string (A–Z, a–z, 0–9, +, /, = padding), or set Input Type to "Text" for plain text',
			{ itemIndex },
		);
	}
	return Buffer.from(stripped, stripped.includes('-') || stripped.includes('_') ? 'base64url' : 'base64');
}

/**
 * Bytes {@link lengthChecked} buffers ahead while the consumer writes (keeps the socket
 * reading). Measured in n8n (bench/, 2 GiB download): 2 MiB is as fast as 8 MiB and the
 * download adds ≈ 15 MiB less to n8n's peak RSS.
 */
export const DOWNLOAD_READ_AHEAD = 2 * 1024 * 1024;

/**
 * Passes a stream through and fails it at its end if the number of bytes differs from
 * `expected` (the response's Content-Length), so a connection cut mid-body never yields a
 * truncated file downstream. Up to `readAhead` bytes (default 2 MiB) are buffered, so the
 * socket keeps reading while n8n's binary store writes (its filesystem store writes one chunk
 * at a time). Chunks are passed on as they came, never copied: in n8n's large heap every
 * extra MiB allocated costs garbage collection. Memory stays ≈ readAhead whatever the size.
 */
export function lengthChecked(
	source: Readable,
	expected: number | undefined,
	{ readAhead = DOWNLOAD_READ_AHEAD }: { readAhead?: number } = {},
): Readable {
	let seen = 0;
	const check = new Transform({
		readableHighWaterMark: readAhead,
		transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
			seen += chunk.length;
			cb(null, chunk);
		},
		flush(cb: TransformCallback) {
			if (expected !== undefined && seen !== expected) {
				cb(
					Object.assign(
						new Error(
							`The download was cut short: received ${seen} of ${expected} bytes (the connection closed before the object was complete)`,
						),
						{ code: 'ECONNRESET' },
					),
				);
			} else cb();
		},
	});
	source.on('error', (err) => check.destroy(err));
	// n8n's binary store awaits (creates the folder) before it reads the stream: an error in that
	// gap must not be an unhandled 'error' event (it would crash the process). The error stays on
	// the destroyed stream, and whoever reads it later gets it.
	check.on('error', () => undefined);
	return source.pipe(check);
}

/**
 * Streams the body of a GetObject answer into n8n's binary data (`helpers.prepareBinaryData`:
 * the filesystem, database or S3 store, or memory in default mode), checked against its
 * Content-Length with {@link lengthChecked}. The binary gets `fileName` and the server's
 * Content-Type (prepareBinaryData may sniff its own; application/octet-stream when the server
 * sent none). Used by Object → Download, Folder → Download and the trigger.
 *
 * @returns the binary, and the content type given to it
 * @throws the body's error (a cut connection: code ECONNRESET, "cut short") or the store's
 */
export async function storeObjectBody(
	helpers: Pick<BinaryHelperFunctions, 'prepareBinaryData'>,
	res: { Body?: unknown; ContentLength?: number; ContentType?: string },
	fileName: string,
): Promise<{ binary: IBinaryData; contentType: string }> {
	const contentType = res.ContentType || 'application/octet-stream';
	const binary = await helpers.prepareBinaryData(lengthChecked(res.Body as Readable, res.ContentLength), fileName, contentType);
	binary.mimeType = contentType;
	return { binary, contentType };
}

/** Reads a whole stream into memory. Only for text/base64/JSON output, never for binary. */
export async function streamToBuffer(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** The last segment of a key, used as the file name of downloaded binary data. */
export function fileNameFromKey(key: string): string {
	const segments = key.split('/').filter((s) => s !== '');
	return segments.length ? segments[segments.length - 1] : key;
}
