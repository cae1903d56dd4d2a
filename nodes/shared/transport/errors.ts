import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

/** What an item was working on when it failed; used to make messages concrete. */
export interface ErrorTarget {
	bucket?: string;
	key?: string;
	/** Client settings that explain a timeout. */
	requestTimeout?: number;
	endpoint?: string;
	/** The region a request asked for (bucket create: the location constraint or the client's region). */
	region?: string;
	/**
	 * n8n's execution cancel signal: when it has fired, any failure is reported as a cancel, not
	 * as the network error the aborted request looks like.
	 */
	cancelSignal?: AbortSignal;
}

/** Fields of an AWS SDK v3 service exception (or a Node network error) that we read. */
interface SdkErrorLike {
	name?: string;
	message?: string;
	code?: string;
	Code?: string;
	Region?: string;
	$fault?: string;
	$metadata?: { httpStatusCode?: number; requestId?: string };
	$response?: { headers?: Record<string, string | undefined> };
	cause?: unknown;
}

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
	'EPROTO',
	'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** OpenSSL/Node texts of TLS errors, for errors that reach us without their code. */
const TLS_TEXTS: Array<[RegExp, string]> = [
	[/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
	[/self[- ]signed certificate(?! in)/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
	[/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
	[/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
	[/certificate has expired/i, 'CERT_HAS_EXPIRED'],
	[/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
	[/wrong version number/i, 'ERR_SSL_WRONG_VERSION_NUMBER'],
];

const where = (t: ErrorTarget) =>
	t.key !== undefined && t.bucket !== undefined
		? `"${t.key}" in bucket "${t.bucket}"`
		: t.bucket !== undefined
			? `bucket "${t.bucket}"`
			: 'the request';

/**
 * A hint for a bucket name with upper-case letters or underscores: S3 bucket names are lower
 * case (old buckets may still have such names, so the node does not refuse them up front).
 * Returns '' for a name without them.
 */
export function bucketNameCaseHint(bucket: string | undefined): string {
	if (!bucket || !/[A-Z_]/.test(bucket)) return '';
	const suggestion = bucket.toLowerCase().replace(/_/g, '-');
	return `. Bucket names are normally lower case, without underscores (${/[A-Z]/.test(bucket) ? 'upper-case letters' : 'underscores'} in "${bucket}"): did you mean "${suggestion}"?`;
}

/** True when an error is (or wraps) an abort: the SDK's or lib-storage's AbortError. */
function isAbortError(e: SdkErrorLike): boolean {
	for (let cur: unknown = e, n = 0; cur && typeof cur === 'object' && n < 5; cur = (cur as SdkErrorLike).cause, n++) {
		const c = cur as SdkErrorLike;
		if (c.name === 'AbortError' || c.code === 'ABORT_ERR') return true;
		// errors from another realm reach us wrapped, with the class only in the text
		if (/^AWS SDK error wrapper for AbortError\b/.test(c.message ?? '')) return true;
	}
	return false;
}

/** The S3 error code of an SDK error ("NoSuchKey", "SignatureDoesNotMatch", ...), if any. */
export function s3ErrorCode(error: unknown): string | undefined {
	const e = error as SdkErrorLike;
	if (!e || typeof e !== 'object') return undefined;
	// Network failures also carry an (empty) $metadata once they went through the retry layer.
	if (e.$metadata?.httpStatusCode !== undefined || e.$fault) return e.Code ?? e.name;
	return undefined;
}

/** HTTP status of an SDK error, if the server answered. */
export function s3HttpStatus(error: unknown): number | undefined {
	return (error as SdkErrorLike)?.$metadata?.httpStatusCode;
}

/**
 * Explains an S3 error code: what went wrong and what to check. Returns undefined for codes
 * without a specific hint (the server's own message is used then).
 */
function explainS3(code: string, status: number | undefined, e: SdkErrorLike, t: ErrorTarget): string | undefined {
	const region = e.Region ?? e.$response?.headers?.['x-amz-bucket-region'];
	switch (code) {
		case 'SignatureDoesNotMatch':
			return 'The request signature does not match: check the secret access key in the credential (copy it whole, without spaces) and that it belongs to the access key ID';
		case 'InvalidAccessKeyId':
			return 'The server does not know this access key ID: check the access key ID in the credential and that the credential points to the right provider and endpoint';
		case 'InvalidToken':
		case 'ExpiredToken':
			return 'The session token is invalid or has expired: renew the temporary credentials or clear "Session Token" in the credential';
		case 'AccessDenied':
		case 'Forbidden':
			return `Access denied to ${where(t)}: the keys are valid but lack permission for this action; check the key's policy (and the bucket policy)`;
		case 'NoSuchBucket':
			return `Bucket "${t.bucket ?? ''}" does not exist: check the bucket name and that the credential's endpoint and region are the bucket's${bucketNameCaseHint(t.bucket)}`;
		case 'NoSuchKey':
			return `No object ${where(t)}: check the key (it is case-sensitive and must match exactly, including any folder prefix)`;
		case 'NotFound':
			// a HEAD request's 404 has no body, so a missing bucket looks the same as a missing key
			return t.key !== undefined
				? `No object ${where(t)}: check the key (it is case-sensitive and must match exactly, including any folder prefix)${bucketNameCaseHint(t.bucket) ? ` and the bucket name${bucketNameCaseHint(t.bucket)}` : ''}`
				: `Not found: ${where(t)}${bucketNameCaseHint(t.bucket)}`;
		case 'NoSuchVersion':
			return `No such version of ${where(t)}: check the "Version ID" option`;
		case 'NoSuchUpload':
			return 'The multipart upload no longer exists (it was completed or aborted)';
		case 'BucketNotEmpty':
			return `Bucket "${t.bucket ?? ''}" is not empty: delete its objects first (Folder → Delete with the folder key "/" removes everything), then delete the bucket`;
		case 'BucketAlreadyExists':
			return `Bucket name "${t.bucket ?? ''}" is taken by another account (bucket names are global on this provider): choose another name`;
		case 'BucketAlreadyOwnedByYou':
			return `You already own bucket "${t.bucket ?? ''}"`;
		case 'InvalidBucketName':
			return `Bucket name "${t.bucket ?? ''}" is not valid: use 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit${bucketNameCaseHint(t.bucket)}`;
		case 'PermanentRedirect':
		case 'AuthorizationHeaderMalformed':
		case 'IllegalLocationConstraintException':
			return region
				? `Bucket ${t.bucket ? `"${t.bucket}" ` : ''}is in region "${region}": set the credential's region to "${region}"`
				: `The bucket is in another region than the credential's: set the credential's region to the bucket's region`;
		case 'InvalidLocationConstraint':
			return `This server does not serve region "${t.region ?? region ?? ''}"${t.bucket ? ` for bucket "${t.bucket}"` : ''}: set the "Region" option (or the credential's region) to a region the server serves, or leave the option empty`;
		case 'InvalidRange':
			return 'The requested range is not satisfiable for this object: check the "Range" option against the object size';
		case 'EntityTooSmall':
			return 'A multipart part was smaller than 5 MiB: raise the "Part Size" option';
		case 'EntityTooLarge':
			return 'The object is larger than the server accepts in one request';
		case 'SlowDown':
		case 'ServiceUnavailable':
		case 'RequestTimeTooSkewed':
			return code === 'RequestTimeTooSkewed'
				? "The server's clock and this machine's differ by more than 15 minutes: fix the system time"
				: 'The server is throttling requests (SlowDown) and retries were exhausted: lower the concurrency or raise "Max Attempts"';
		case 'InvalidStorageClass':
			return 'This provider does not accept that storage class: pick another "Storage Class" option or leave it empty';
		case 'NotImplemented':
			return 'The server does not implement this feature (an S3-compatible provider may lack it)';
		default:
			if (status === 403) return `Access denied to ${where(t)} (HTTP 403): check the keys and their permissions`;
			if (status === 404) return `Not found: ${where(t)}${bucketNameCaseHint(t.bucket)}`;
			if (status === 301) return 'The bucket is in another region or behind another endpoint: check the credential\'s region and endpoint';
			return undefined;
	}
}

/** Explains a network-level failure (no HTTP answer). */
function explainNetwork(e: SdkErrorLike, t: ErrorTarget): string | undefined {
	const chain: SdkErrorLike[] = [];
	for (let cur: unknown = e; cur && typeof cur === 'object' && chain.length < 5; cur = (cur as SdkErrorLike).cause) {
		chain.push(cur as SdkErrorLike);
	}
	const codes = chain.map((c) => c.code).filter(Boolean) as string[];
	// Errors from another realm (e.g. a sandbox) reach us wrapped, with the code only in the text.
	for (const c of chain) {
		const m = /\b(E[A-Z_]{3,}|ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(c.message ?? '');
		if (m) codes.push(m[1]);
		// Node's TLS errors carry their code only as a property; their text is OpenSSL's reason.
		for (const [re, code] of TLS_TEXTS) if (re.test(c.message ?? '')) codes.push(code);
	}
	const endpoint = t.endpoint ? ` ${t.endpoint}` : ' the endpoint';
	if (codes.includes('ERR_SSL_WRONG_VERSION_NUMBER'))
		return `TLS error talking to${endpoint} (wrong version number): the server does not speak TLS on this port. Use http:// for a plain-HTTP server, or the server's HTTPS port`;
	if (codes.includes('ECONNREFUSED'))
		return `Could not connect to${endpoint}: connection refused. Check the endpoint's host and port and that the server is running`;
	if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN'))
		return `Could not resolve the host of${endpoint}: check the endpoint's host name (DNS lookup failed)`;
	const tls = codes.find((c) => TLS_CODES.has(c) || c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL'));
	if (tls)
		return `TLS error talking to${endpoint} (${tls}): the server's certificate is not trusted. Use a trusted certificate, or enable "Ignore SSL Issues" in the credential for a private server`;
	// The SDK's HTTP handler renames ECONNRESET/EPIPE errors "TimeoutError" (so that they are
	// retried): a reset is a cut connection, not a timeout, unless the text says it timed out.
	// (a wrapped error's text may name the error class "TimeoutError": that says nothing)
	const saysTimedOut = chain.some((c) => /timed? ?out/i.test((c.message ?? '').replace(/TimeoutError/g, '')));
	const cut =
		codes.includes('ECONNRESET') ||
		codes.includes('EPIPE') ||
		chain.some((c) => /socket hang up|aborted|premature close/i.test(c.message ?? ''));
	if (cut && !saysTimedOut)
		return `The connection to${endpoint} was cut before the transfer finished (network error): nothing partial was kept; run the item again`;
	if (e.name === 'TimeoutError' || codes.includes('ETIMEDOUT') || saysTimedOut)
		return chain.some((c) => /did not establish a connection/i.test(c.message ?? ''))
			? `Could not connect to${endpoint}: the server did not accept the connection in time (the "Connection Timeout" option). Check the endpoint's host and port and that the server is reachable from n8n`
			: `The request timed out${t.requestTimeout ? ` after ${t.requestTimeout} ms without data (the "Request Timeout" option)` : ''}: check that the server at${endpoint} is reachable and responsive, or raise the timeout`;
	return undefined;
}

/** Replaces every occurrence of the given secrets in a text with "***". */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
	return out;
}

/**
 * Turns anything thrown while processing an item into n8n's error types:
 * - anything after n8n cancelled the execution (`target.cancelSignal` fired), or an AbortError →
 *   `NodeOperationError` "The execution was cancelled …" (context.code `ExecutionCancelled`),
 *   never a network error;
 * - an S3 error (the server answered) → `NodeApiError` with `httpCode`, the S3 code in
 *   `context.code` and a message that says what to check;
 * - a network/TLS/timeout failure → `NodeApiError` without HTTP status, explained;
 * - a `NodeOperationError`/`NodeApiError` already raised by an operation → kept (item index set);
 * - anything else → `NodeOperationError` with its message.
 * Secrets passed in are removed from message and description.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	target: ErrorTarget,
	secrets: string[],
): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		error.message = redact(error.message, secrets);
		if (error.description) error.description = redact(error.description, secrets);
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const e = (error ?? {}) as SdkErrorLike;
	if (target.cancelSignal?.aborted || isAbortError(e)) {
		const cancelled = new NodeOperationError(
			node,
			`The execution was cancelled while working on ${where(target)}: its requests were stopped (an unfinished multipart upload is aborted, so no partial object is left)`,
			{ itemIndex, description: redact(`${e.name ?? 'Error'}: ${e.message ?? ''}`, secrets) },
		);
		cancelled.context.code = 'ExecutionCancelled';
		return cancelled;
	}
	if (e.name === 'IdentityResolutionError') {
		// the credentials could not be had (AssumeRole refused, no host identity): the message
		// names the role or the host already (transport/credentials.ts)
		const idCode = (error as { code?: string }).code;
		const idStatus = (error as { httpStatusCode?: number }).httpStatusCode;
		const message = redact(e.message ?? 'Could not get credentials', secrets);
		const apiError = new NodeApiError(node, { code: idCode ?? null, httpStatusCode: idStatus ?? null, message }, {
			message,
			description: 'Check the credential\'s Authentication and Assume Role settings.',
			httpCode: idStatus !== undefined ? String(idStatus) : undefined,
			itemIndex,
		});
		apiError.message = message;
		apiError.context.code = idCode;
		apiError.context.httpStatusCode = idStatus;
		return apiError;
	}
	const code = s3ErrorCode(error);
	const status = s3HttpStatus(error);
	if (code !== undefined || status !== undefined) {
		const serverMessage = e.message && e.message !== 'UnknownError' && e.message !== code ? e.message : '';
		const hint = explainS3(code ?? '', status, e, target);
		const message = redact(
			hint ?? (serverMessage ? `${code}: ${serverMessage}` : `S3 error ${code ?? ''} (HTTP ${status ?? '?'}) on ${where(target)}`),
			secrets,
		);
		const response: JsonObject = {
			code: code ?? null,
			httpStatusCode: status ?? null,
			message: redact(serverMessage, secrets),
			requestId: e.$metadata?.requestId ?? null,
		};
		const apiError = new NodeApiError(node, response, {
			message,
			description: redact(
				`S3 error code: ${code ?? 'none'}; HTTP status: ${status ?? 'none'}${serverMessage ? `; server said: ${serverMessage}` : ''}`,
				secrets,
			),
			httpCode: status !== undefined ? String(status) : undefined,
			itemIndex,
		});
		// NodeApiError may replace the message with a generic one for known status codes.
		apiError.message = message;
		apiError.context.code = code;
		apiError.context.httpStatusCode = status;
		return apiError;
	}
	const network = explainNetwork(e, target);
	if (network) {
		const apiError = new NodeApiError(node, { code: e.code ?? e.name ?? 'NetworkError', message: redact(e.message ?? '', secrets) }, {
			message: redact(network, secrets),
			description: redact(`${e.name ?? 'Error'}: ${e.message ?? ''}`, secrets),
			itemIndex,
		});
		apiError.message = redact(network, secrets);
		apiError.context.code = e.code ?? e.name;
		return apiError;
	}
	const message = redact(e.message ?? String(error), secrets);
	return new NodeOperationError(node, message, { itemIndex });
}
