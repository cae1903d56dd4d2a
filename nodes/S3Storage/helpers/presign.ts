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
	const url = await getSignedUrl(client, command, { expiresIn });
	return { url, expiresAt: new Date(signedAt + expiresIn * 1000).toISOString() };
}
