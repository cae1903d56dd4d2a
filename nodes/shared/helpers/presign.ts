import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** A presigned URL and when it stops working. */
export interface PresignedUrl {
	url: string;
	/** ISO 8601 time the URL expires. */
	expiresAt: string;
}

/**
 * Signs a GET (download) or PUT (upload) URL for one object, valid `expiresIn` seconds
 * (1–604800). Signing happens locally (no request is sent); for PUT, a `contentType` becomes
 * part of the signature, so the uploader must send that exact Content-Type header.
 * Calls (when the URL is used): GetObject / PutObject.
 */
export async function presignObjectUrl(
	client: S3Client,
	method: 'GET' | 'PUT',
	bucket: string,
	key: string,
	expiresIn: number,
	extra: { versionId?: string; contentType?: string; responseContentDisposition?: string } = {},
): Promise<PresignedUrl> {
	const signedAt = Date.now();
	const command =
		method === 'PUT'
			? new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: extra.contentType || undefined })
			: new GetObjectCommand({
					Bucket: bucket,
					Key: key,
					VersionId: extra.versionId || undefined,
					ResponseContentDisposition: extra.responseContentDisposition || undefined,
				});
	if (command instanceof PutObjectCommand) {
		// With the SDK's default checksums (always on for AWS), a presigned PUT would carry the CRC32
		// of an empty body (x-amz-checksum-crc32=AAAAAA==) and AWS would refuse every real upload
		// with a checksum mismatch. The uploader's bytes are unknown here, so sign no checksum.
		type Middleware = Parameters<typeof command.middlewareStack.addRelativeTo>[0];
		type Handler = (args: { request: unknown }) => Promise<unknown>;
		const dropChecksum = (next: Handler): Handler => async (args) => {
			const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
			for (const name of Object.keys(headers)) {
				if (/^x-amz-(checksum-|sdk-checksum-algorithm$)/i.test(name)) delete headers[name];
			}
			return await next(args);
		};
		command.middlewareStack.addRelativeTo(dropChecksum as unknown as Middleware, {
			relation: 'after',
			toMiddleware: 'flexibleChecksumsMiddleware',
			name: 'presignWithoutChecksum',
		});
	}
	// the presigner signs only `host` unless told otherwise: without this, the Content-Type of a
	// PUT would not be enforced (an uploader could send any type)
	const signableHeaders = method === 'PUT' && extra.contentType ? new Set(['content-type']) : undefined;
	const url = await getSignedUrl(client, command, { expiresIn, signableHeaders });
	return { url, expiresAt: new Date(signedAt + expiresIn * 1000).toISOString() };
}
