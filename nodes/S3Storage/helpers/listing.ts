import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** One page of ListObjectsV2 and the token for the next one (undefined at the end). */
export interface ListPage {
	contents: NonNullable<ListObjectsV2CommandOutput['Contents']>;
	commonPrefixes: string[];
	nextContinuationToken?: string;
}

/**
 * Pages through ListObjectsV2 (S3 API: ListObjectsV2), yielding one page at a time so that a
 * caller can stop early or act on each page without holding the whole listing.
 * `maxItems` bounds the objects + common prefixes requested in total (undefined = all);
 * `pageSize` is the MaxKeys of each request (1–1000).
 */
export async function* listPages(
	client: S3Client,
	params: {
		bucket: string;
		prefix?: string;
		delimiter?: string;
		startAfter?: string;
		continuationToken?: string;
		pageSize?: number;
		maxItems?: number;
		abortSignal?: AbortSignal;
	},
): AsyncGenerator<ListPage> {
	let token = params.continuationToken || undefined;
	let remaining = params.maxItems ?? Infinity;
	const pageSize = Math.min(1000, Math.max(1, params.pageSize ?? 1000));
	let first = true;
	while (remaining > 0) {
		const out = await client.send(
			new ListObjectsV2Command({
				Bucket: params.bucket,
				Prefix: params.prefix || undefined,
				Delimiter: params.delimiter || undefined,
				StartAfter: first && !token ? params.startAfter || undefined : undefined,
				ContinuationToken: token,
				MaxKeys: Math.min(pageSize, remaining),
			}),
			{ abortSignal: params.abortSignal },
		);
		first = false;
		const contents = out.Contents ?? [];
		const commonPrefixes = (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== '');
		remaining -= contents.length + commonPrefixes.length;
		token = out.IsTruncated ? out.NextContinuationToken : undefined;
		yield { contents, commonPrefixes, nextContinuationToken: token };
		if (!token) return;
	}
}
