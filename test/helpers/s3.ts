/**
 * Direct access to the test S3 server (a real Ceph RGW unless S3_TEST_ENDPOINT points elsewhere),
 * for arranging state before running the node and for asserting on the server state afterwards.
 * Never goes through the node's code.
 */
import {
	AbortMultipartUploadCommand,
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectVersionsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client,
	type HeadObjectCommandOutput,
	type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { Readable } from 'stream';

export interface S3TestConfig {
	endpoint: string;
	accessKeyId: string;
	secretAccessKey: string;
	region: string;
	forcePathStyle: boolean;
	/** 'ceph-rgw': this run's own RGW; 'external': S3_TEST_ENDPOINT */
	server: 'ceph-rgw' | 'external';
}

/** The test server's settings (from the S3_TEST_* variables set up by test/setup). */
export function testConfig(): S3TestConfig {
	const e = process.env;
	if (!e.S3_TEST_ENDPOINT || !e.S3_TEST_ACCESS_KEY_ID || !e.S3_TEST_SECRET_ACCESS_KEY) {
		throw new Error('S3_TEST_ENDPOINT / S3_TEST_ACCESS_KEY_ID / S3_TEST_SECRET_ACCESS_KEY are not set (jest globalSetup not run?)');
	}
	return {
		endpoint: e.S3_TEST_ENDPOINT,
		accessKeyId: e.S3_TEST_ACCESS_KEY_ID,
		secretAccessKey: e.S3_TEST_SECRET_ACCESS_KEY,
		region: e.S3_TEST_REGION || 'us-east-1',
		forcePathStyle: !/^(false|0|no)$/i.test(e.S3_TEST_FORCE_PATH_STYLE ?? 'true'),
		server: e.S3_TEST_SERVER === 'external' ? 'external' : 'ceph-rgw',
	};
}

/** True when the tests run against this run's own Ceph RGW (to guard RGW-specific expectations). */
export const isCephRgw = () => testConfig().server === 'ceph-rgw';

/**
 * The credential data of an `s3StorageApi` credential pointing at the test server, as a user
 * would save it (provider "other"). `overrides` replaces fields, e.g. `{ secretAccessKey: 'wrong' }`.
 */
export function testCredentials(
	overrides: Partial<Record<string, string | boolean>> = {},
): ICredentialDataDecryptedObject {
	const c = testConfig();
	return {
		provider: 'other',
		accessKeyId: c.accessKeyId,
		secretAccessKey: c.secretAccessKey,
		sessionToken: '',
		region: c.region,
		endpoint: c.endpoint,
		forcePathStyle: true,
		ignoreSslIssues: false,
		...overrides,
	};
}

const clients = new Map<string, S3Client>();

/**
 * A plain SDK client for the test server (checksums only when required, as S3-compatible servers
 * need). Cached per settings; destroyed after each test file (test/setup/afterEnv.ts).
 */
export function rawClient(
	overrides: Partial<Pick<S3TestConfig, 'accessKeyId' | 'secretAccessKey' | 'region' | 'endpoint'>> = {},
): S3Client {
	const c = { ...testConfig(), ...overrides };
	const cacheKey = JSON.stringify([c.endpoint, c.accessKeyId, c.secretAccessKey, c.region, c.forcePathStyle]);
	let client = clients.get(cacheKey);
	if (!client) {
		client = new S3Client({
			endpoint: c.endpoint,
			region: c.region,
			credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
			forcePathStyle: c.forcePathStyle,
			requestChecksumCalculation: 'WHEN_REQUIRED',
			responseChecksumValidation: 'WHEN_REQUIRED',
			maxAttempts: 2,
		});
		clients.set(cacheKey, client);
	}
	return client;
}

export function destroyRawClients(): void {
	for (const client of clients.values()) client.destroy();
	clients.clear();
}

export function sha256(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (fast; the same seed gives the same bytes). */
export function randomBuffer(size: number, seed = 1): Buffer {
	const buf = Buffer.allocUnsafe(size);
	let x = (seed * 2654435761) >>> 0 || 1;
	let i = 0;
	for (; i + 4 <= size; i += 4) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		buf.writeUInt32LE(x, i);
	}
	for (; i < size; i++) buf[i] = (x = (x * 1103515245 + 12345) >>> 0) & 0xff;
	return buf;
}

/** A valid, unique bucket name (3-63 chars of a-z 0-9 -) starting with `prefix`. Not created. */
export function uniqueBucketName(prefix = 'test'): string {
	let p = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
	if (!p) p = 'test';
	const suffix = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
	p = p.slice(0, 63 - suffix.length - 1).replace(/-+$/g, '');
	const name = `${p}-${suffix}`;
	return /^[a-z0-9]/.test(name) ? name : `b${name.slice(1)}`;
}

const trackedBuckets = new Set<string>();

/**
 * Creates a bucket with a unique name starting with `prefix` and returns its name. It is emptied
 * and deleted after the test file (test/setup/afterEnv.ts) unless deleted before.
 */
export async function uniqueBucket(prefix = 'test'): Promise<string> {
	const name = uniqueBucketName(prefix);
	await rawClient().send(new CreateBucketCommand({ Bucket: name }));
	trackedBuckets.add(name);
	return name;
}

/** Registers a bucket created some other way (e.g. by the node) for cleanup after the test file. */
export function trackBucket(name: string): void {
	trackedBuckets.add(name);
}

function errorName(error: unknown): string | undefined {
	const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
	return e?.Code ?? e?.name;
}

function httpStatus(error: unknown): number | undefined {
	return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

export async function bucketExists(name: string): Promise<boolean> {
	try {
		await rawClient().send(new HeadBucketCommand({ Bucket: name }));
		return true;
	} catch (error) {
		if (httpStatus(error) === 404 || errorName(error) === 'NotFound' || errorName(error) === 'NoSuchBucket') return false;
		throw error;
	}
}

/**
 * Deletes every object version, delete marker and open multipart upload in the bucket, then the
 * bucket. A bucket that does not exist is fine.
 */
export async function emptyAndDeleteBucket(name: string): Promise<void> {
	const s3 = rawClient();
	try {
		// all versions and delete markers (for an unversioned bucket: the objects, VersionId "null")
		let KeyMarker: string | undefined;
		let VersionIdMarker: string | undefined;
		for (;;) {
			const page = await s3.send(new ListObjectVersionsCommand({ Bucket: name, KeyMarker, VersionIdMarker }));
			const ids = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
				.filter((v) => v.Key !== undefined)
				.map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
			for (let i = 0; i < ids.length; i += 1000) {
				const res = await s3.send(
					new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: ids.slice(i, i + 1000), Quiet: true } }),
				);
				if (res.Errors?.length) {
					throw new Error(`emptyAndDeleteBucket(${name}): ${JSON.stringify(res.Errors.slice(0, 3))}`);
				}
			}
			if (!page.IsTruncated) break;
			KeyMarker = page.NextKeyMarker;
			VersionIdMarker = page.NextVersionIdMarker;
		}
		for (const upload of await listOpenMultipartUploads(name)) {
			await s3.send(new AbortMultipartUploadCommand({ Bucket: name, Key: upload.key, UploadId: upload.uploadId }));
		}
		await s3.send(new DeleteBucketCommand({ Bucket: name }));
	} catch (error) {
		if (errorName(error) !== 'NoSuchBucket') throw error;
	}
	trackedBuckets.delete(name);
}

/** Empties and deletes every bucket made by uniqueBucket()/trackBucket() in this test file. */
export async function cleanupTrackedBuckets(): Promise<void> {
	const names = [...trackedBuckets];
	const results = await Promise.allSettled(names.map(async (n) => await emptyAndDeleteBucket(n)));
	const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${String(r.reason)}`] : []));
	if (failed.length) throw new Error(`could not clean up test buckets:\n${failed.join('\n')}`);
}

export async function putObject(
	bucket: string,
	key: string,
	body: Buffer | string,
	options: { contentType?: string; metadata?: Record<string, string> } = {},
): Promise<PutObjectCommandOutput> {
	return await rawClient().send(
		new PutObjectCommand({
			Bucket: bucket,
			Key: key,
			Body: body,
			ContentType: options.contentType,
			Metadata: options.metadata,
		}),
	);
}

export async function getObjectBuffer(
	bucket: string,
	key: string,
	options: { versionId?: string; range?: string } = {},
): Promise<Buffer> {
	const res = await rawClient().send(
		new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: options.versionId, Range: options.range }),
	);
	const chunks: Buffer[] = [];
	for await (const chunk of res.Body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}

/** HeadObject (throws the SDK's NotFound error when the object does not exist). */
export async function headObject(bucket: string, key: string, versionId?: string): Promise<HeadObjectCommandOutput> {
	return await rawClient().send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
}

/** Whether the object (version) exists. */
export async function objectExists(bucket: string, key: string, versionId?: string): Promise<boolean> {
	try {
		await headObject(bucket, key, versionId);
		return true;
	} catch (error) {
		if (httpStatus(error) === 404) return false;
		throw error;
	}
}

/** Every key in the bucket (under `prefix`), in the server's (lexicographic) order. */
export async function listAllKeys(bucket: string, prefix?: string): Promise<string[]> {
	const keys: string[] = [];
	let ContinuationToken: string | undefined;
	do {
		const page = await rawClient().send(
			new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }),
		);
		for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
		ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (ContinuationToken);
	return keys;
}

/** Multipart uploads started and neither completed nor aborted (a leak if a test leaves one). */
export async function listOpenMultipartUploads(
	bucket: string,
): Promise<Array<{ key: string; uploadId: string; initiated?: Date }>> {
	const uploads: Array<{ key: string; uploadId: string; initiated?: Date }> = [];
	let KeyMarker: string | undefined;
	let UploadIdMarker: string | undefined;
	for (;;) {
		const page = await rawClient().send(
			new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker, UploadIdMarker }),
		);
		for (const u of page.Uploads ?? []) {
			if (u.Key !== undefined && u.UploadId !== undefined) {
				uploads.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated });
			}
		}
		if (!page.IsTruncated) break;
		KeyMarker = page.NextKeyMarker;
		UploadIdMarker = page.NextUploadIdMarker;
	}
	return uploads;
}
