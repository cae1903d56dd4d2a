import { Readable, Transform, type TransformCallback } from 'node:stream';
import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

/** A body to upload: bytes in memory, or a stream with its length when known. */
export interface UploadSource {
	body: Buffer | Readable;
	/** Bytes, when known in advance (memory data, or the binary data store's metadata). */
	contentLength?: number;
	/** The binary's file name and MIME type, when the input was binary. */
	fileName?: string;
	mimeType?: string;
}

/**
 * Reads an item's binary property for upload. Data kept in n8n's binary data store
 * (filesystem, S3 or database mode: the binary has an `id`) is streamed with
 * `helpers.getBinaryStream`, so memory does not grow with the file size; data held in the item
 * (default mode) is decoded from base64.
 *
 * @throws NodeOperationError when the item has no binary property of that name; the message
 *   lists the properties the item does have
 */
export async function readBinaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
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
		const [stream, meta] = await Promise.all([
			ctx.helpers.getBinaryStream(binary.id),
			ctx.helpers.getBinaryMetadata(binary.id).catch(() => undefined),
		]);
		const size = meta?.fileSize ?? binary.bytes;
		return {
			body: stream,
			contentLength: typeof size === 'number' && size >= 0 ? size : undefined,
			fileName: binary.fileName ?? meta?.fileName,
			mimeType: binary.mimeType ?? meta?.mimeType,
		};
	}
	const buffer = Buffer.from(binary.data, 'base64');
	return { body: buffer, contentLength: buffer.length, fileName: binary.fileName, mimeType: binary.mimeType };
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
 * Passes a stream through and fails it at its end if the number of bytes differs from
 * `expected` (the response's Content-Length), so a connection cut mid-body never yields a
 * truncated file downstream.
 */
export function lengthChecked(source: Readable, expected: number | undefined): Readable {
	if (expected === undefined) return source;
	let seen = 0;
	const check = new Transform({
		transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
			seen += chunk.length;
			cb(null, chunk);
		},
		flush(cb: TransformCallback) {
			if (seen !== expected) {
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
	return source.pipe(check);
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
