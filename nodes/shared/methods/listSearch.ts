import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { createS3Client, type S3StorageCredentials } from '../transport/client';

async function client(ctx: ILoadOptionsFunctions) {
	const credentials = await ctx.getCredentials<S3StorageCredentials>('s3StorageApi');
	return createS3Client(credentials, { maxAttempts: 2, requestTimeout: 15_000 });
}

/**
 * Bucket picker: buckets whose name contains the filter (S3 API: ListBuckets, paged with
 * ContinuationToken where the server supports it).
 */
export async function searchBuckets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const s3 = await client(this);
	try {
		// pages of 1000 buckets (MaxBuckets); servers that do not page ignore it and answer them all
		const out = await s3.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken: paginationToken || undefined }));
		const needle = (filter ?? '').toLowerCase();
		const results = (out.Buckets ?? [])
			.map((b) => b.Name ?? '')
			.filter((name) => name && (!needle || name.toLowerCase().includes(needle)))
			.sort((a, b) => a.localeCompare(b))
			.map((name) => ({ name, value: name }));
		return { results, paginationToken: out.ContinuationToken || undefined };
	} finally {
		s3.destroy();
	}
}

/** Lists keys starting with `filter` in the bucket of the parameter `bucketParameter`. */
async function searchKeysIn(
	ctx: ILoadOptionsFunctions,
	bucketParameter: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const bucket = String(ctx.getCurrentNodeParameter(bucketParameter, { extractValue: true }) ?? '').trim();
	if (!bucket) return { results: [] };
	const s3 = await client(ctx);
	try {
		const out = await s3.send(
			new ListObjectsV2Command({
				Bucket: bucket,
				Prefix: filter || undefined,
				ContinuationToken: paginationToken || undefined,
				MaxKeys: 200,
			}),
		);
		const results = (out.Contents ?? []).map((o) => ({ name: o.Key ?? '', value: o.Key ?? '' }));
		return { results, paginationToken: out.IsTruncated ? out.NextContinuationToken : undefined };
	} finally {
		s3.destroy();
	}
}

/**
 * Key picker for `key`: keys starting with what the user typed, in the chosen bucket
 * (S3 API: ListObjectsV2, 200 per page).
 */
export async function searchKeys(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchKeysIn(this, 'bucketName', filter, paginationToken);
}

/** Key picker for `sourceKey` (Copy, Move): keys in the source bucket. */
export async function searchSourceKeys(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchKeysIn(this, 'sourceBucketName', filter, paginationToken);
}
