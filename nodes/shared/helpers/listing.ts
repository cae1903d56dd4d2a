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
 * The request for the next page is sent before a page is handed over, so the caller's work on
 * a page overlaps the next round trip (at most one request ahead; none past `maxItems`).
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
	let remaining = params.maxItems ?? Infinity;
	const pageSize = Math.min(1000, Math.max(1, params.pageSize ?? 1000));
	const request = (token: string | undefined, first: boolean) => {
		const sent = client.send(
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
		// handled here so that a failure while the caller works on a page is not an unhandled
		// rejection (which would end the process); the await below still throws it
		sent.catch(() => undefined);
		return sent;
	};
	let pending: Promise<ListObjectsV2CommandOutput> | undefined = request(params.continuationToken || undefined, true);
	try {
		while (pending) {
			const out = await pending;
			pending = undefined;
			const contents = out.Contents ?? [];
			const commonPrefixes = (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter((p) => p !== '');
			remaining -= contents.length + commonPrefixes.length;
			const token = out.IsTruncated ? out.NextContinuationToken : undefined;
			if (token && remaining > 0) pending = request(token, false);
			yield { contents, commonPrefixes, nextContinuationToken: token };
		}
	} finally {
		// the caller stopped early: a request sent ahead is left to finish (its failure is handled)
		pending = undefined;
	}
}
