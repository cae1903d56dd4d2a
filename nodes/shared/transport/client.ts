import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { CredentialConfigError, resolveIdentity, type IdentityFields, type ResolvedIdentity } from './credentials';

export { CredentialConfigError };

/** The fields of an `s3StorageApi` credential, as n8n hands them to the node. */
export interface S3StorageCredentials extends IdentityFields {
	provider?: string;
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
	/** `accessKeys` (default) or `hostIdentity` (see transport/credentials.ts) */
	authentication?: string;
	region?: string;
	endpoint?: string;
	forcePathStyle?: boolean;
	ignoreSslIssues?: boolean;
}

/** Client settings a user can change in the node's options. */
export interface ClientOptions {
	/** Attempts per request including the first (SDK retry strategy). Default 3. */
	maxAttempts?: number;
	/** `standard` (default) or `adaptive` (client-side rate limiting as well). */
	retryMode?: 'standard' | 'adaptive';
	/**
	 * Milliseconds a request may go without data on its socket (either direction) before it
	 * fails; retried like other network errors. 0 = no limit. Default
	 * {@link DEFAULT_REQUEST_TIMEOUT_MS}.
	 */
	requestTimeout?: number;
	/**
	 * Milliseconds to wait for the TCP connection to be accepted; retried like other network
	 * errors. 0 = no limit. Default {@link DEFAULT_CONNECTION_TIMEOUT_MS}.
	 */
	connectionTimeout?: number;
	/** Sockets kept per host (keep-alive pool). */
	maxSockets?: number;
	/** Send and verify the SDK's default (CRC32) checksums even on a custom endpoint. */
	fullChecksums?: boolean;
	/**
	 * The execution's cancel signal: when it fires, every request of the client still running
	 * stops (its socket is closed) and none is retried, even one sent without per-call options.
	 */
	abortSignal?: AbortSignal;
}

/** Where and how to connect, after the provider preset has been applied. */
export interface ResolvedConnection {
	region: string;
	/** Undefined means AWS's own endpoint for the region. */
	endpoint?: string;
	forcePathStyle: boolean;
	provider: string;
}

/**
 * Default idle timeout (ms): a request that receives (or sends) nothing for this long fails with
 * a TimeoutError, which the SDK retries (Max Attempts). A hung server or a dead connection then
 * fails in bounded time instead of holding the execution forever.
 *
 * Why 120 s: AWS S3 keeps slow answers alive (CompleteMultipartUpload, CopyObject and
 * UploadPartCopy send 200 OK, then whitespace while they work), which is why botocore/awscli's
 * 60 s read timeout is safe there. Ceph RGW 16 sends nothing until it is done; measured on it
 * (bench/timeouts.js, 2 cores under load): CompleteMultipartUpload of 10,000 parts 2.5 s silent,
 * CopyObject of 1 GiB 0.2 s, but UploadPartCopy of 512 MiB ranges 4 at once (this node's copy
 * above 5 GiB) 25–48 s silent. 120 s is 2.5 × the worst. See README, "Timeouts".
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * Default connection timeout (ms): a server that does not accept the TCP connection within this
 * long fails the attempt (retried). 10 s leaves room for three lost SYNs (Linux retransmits after
 * 1, 2 and 4 s) where the OS itself would wait about 2 minutes.
 */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

const DEFAULT_REGION: Record<string, string> = {
	cloudflareR2: 'auto',
	digitalOceanSpaces: 'nyc3',
	backblazeB2: 'us-west-004',
	upcloud: 'europe-1',
};

/** Endpoint patterns of providers whose endpoint follows from the region. */
const ENDPOINT_PATTERN: Record<string, (region: string) => string> = {
	wasabi: (r) => `https://s3.${r}.wasabisys.com`,
	digitalOceanSpaces: (r) => `https://${r}.digitaloceanspaces.com`,
	backblazeB2: (r) => `https://s3.${r}.backblazeb2.com`,
	dreamObjects: (r) => `https://objects-${r}.dream.io`,
};

/** Providers that need an endpoint typed in (no pattern exists). */
const ENDPOINT_REQUIRED = new Set(['cloudflareR2', 'minio', 'upcloud', 'other']);


/**
 * Applies the provider preset to a credential: the region default, the endpoint pattern and
 * path-style addressing.
 *
 * @returns region, endpoint (undefined for AWS's own) and path style
 * @throws CredentialConfigError when the endpoint is missing where required, has no
 *   `http://`/`https://` scheme, or is not a URL
 */
export function resolveConnection(credentials: S3StorageCredentials): ResolvedConnection {
	const provider = credentials.provider || 'aws';
	const region = (credentials.region ?? '').trim() || DEFAULT_REGION[provider] || 'us-east-1';
	let endpoint = (credentials.endpoint ?? '').trim() || undefined;
	if (!endpoint && ENDPOINT_PATTERN[provider]) endpoint = ENDPOINT_PATTERN[provider](region);
	if (!endpoint && ENDPOINT_REQUIRED.has(provider)) {
		throw new CredentialConfigError(
			'The credential has no endpoint: set "Endpoint" to the URL of the S3 API, e.g. https://<account>.r2.cloudflarestorage.com or http://127.0.0.1:9000',
			'endpoint',
		);
	}
	if (endpoint) {
		if (!/^https?:\/\//i.test(endpoint)) {
			throw new CredentialConfigError(
				`The credential's endpoint "${endpoint}" has no scheme: start it with https:// (or http:// for a local server)`,
				'endpoint',
			);
		}
		if (!URL.canParse(endpoint) || !new URL(endpoint).hostname) {
			throw new CredentialConfigError(
				`The credential's endpoint "${endpoint}" is not a valid URL: use the form https://host[:port]`,
				'endpoint',
			);
		}
		endpoint = endpoint.replace(/\/+$/, '');
	}
	const forcePathStyle =
		credentials.forcePathStyle ?? (provider === 'minio' || provider === 'other');
	return { region, endpoint, forcePathStyle, provider };
}

/**
 * Per-call options for a clean-up request that must still go out after the execution was
 * cancelled (AbortMultipartUpload): a request with a signal of its own (this one never fires) is
 * let through by the client's cancel (see {@link ClientOptions.abortSignal}).
 */
export function afterCancel(): { abortSignal: AbortSignal } {
	return { abortSignal: new AbortController().signal };
}

type HandlerRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandlerOptions = NonNullable<Parameters<NodeHttpHandler['handle']>[1]>;

/**
 * The error work of a cancelled execution ends with: an AbortError ("The execution was
 * cancelled"), which the SDK never retries and router.ts reports as a cancel. `signal`'s reason,
 * when an Error, becomes its cause.
 */
export function cancelledError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	return Object.assign(new Error('The execution was cancelled'), { name: 'AbortError', cause: reason instanceof Error ? reason : undefined });
}

/**
 * The SDK's Node.js HTTP handler, with a cancel signal for the whole client: when n8n cancels the
 * execution, every request of the client still running stops and none is retried, even one sent
 * without per-call options — the form that lets the client reuse its resolved middleware (≈ 0.4
 * ms of CPU and ≈ 25 KiB of garbage less per request, which matters for thousands of CopyObjects
 * or small PutObjects).
 *
 * How: the client has agents of its own (one execution, one client), and a cancel destroys
 * their sockets, in use or idle, which ends every request and response body in flight
 * (a streamed GetObject too). A request of a cancelled client (a retry included) then ends at once
 * with an AbortError, which the SDK never retries. Requests that bring their own abort signal (the
 * clean-up AbortMultipartUpload after a cancel, see {@link afterCancel}) go through as usual, on
 * new sockets. Nothing is allocated per request: no AbortController, no listener on a signal.
 * Measured on a copy of 5,000 objects, an AbortController per request passed to the SDK's
 * handler left ≈ 0.9 KiB per request more garbage in V8's old generation, and one signal shared
 * by all requests ≈ 6 KiB more (its listener list outlives the requests).
 */
class CancellableHttpHandler {
	private readonly onCancel = () => {
		for (const agent of this.agents) agent.destroy();
	};

	constructor(
		private readonly inner: NodeHttpHandler,
		private readonly cancel: AbortSignal,
		private readonly agents: Array<{ destroy(): void }>,
	) {
		cancel.addEventListener('abort', this.onCancel, { once: true });
	}

	get metadata() {
		return this.inner.metadata;
	}

	async handle(request: HandlerRequest, options: HandlerOptions = {}) {
		if (options.abortSignal) return await this.inner.handle(request, options);
		if (this.cancel.aborted) throw cancelledError(this.cancel);
		try {
			return await this.inner.handle(request, options);
		} catch (error) {
			// a socket destroyed by the cancel: say so, and keep the SDK from retrying it
			if (this.cancel.aborted) throw cancelledError(this.cancel);
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the SDK's own handler error, passed on to the SDK's retry logic unchanged
			throw error;
		}
	}

	updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
		this.inner.updateHttpClientConfig(key, value);
	}

	httpHandlerConfigs(): NodeHttpHandlerOptions {
		return this.inner.httpHandlerConfigs();
	}

	destroy(): void {
		this.cancel.removeEventListener('abort', this.onCancel);
		this.inner.destroy();
	}
}

/**
 * Builds the S3 client for one node execution; the caller reuses it for every item.
 * Keep-alive sockets are pooled (`maxSockets`, default 50). On a custom endpoint the SDK's
 * default request checksums (CRC32 with aws-chunked trailers, SDK ≥ 3.729) are turned down to
 * `WHEN_REQUIRED`, since R2, older MinIO, Ceph RGW and GCS interop reject or mis-store them.
 * The credentials come from {@link resolveIdentity}: access keys, the host's identity or an
 * assumed role (resolved on the first request, refreshed before they expire).
 *
 * @throws CredentialConfigError for an unusable endpoint (see {@link resolveConnection}) or
 *   identity settings (host identity not allowed by the admin, assume role without a role ARN)
 */
export function createS3Client(
	credentials: S3StorageCredentials,
	options: ClientOptions = {},
): S3Client {
	return createS3ClientWithIdentity(credentials, options).client;
}

/**
 * {@link createS3Client}, also returning the identity: `identity.secrets` (to redact: the
 * credential's secrets and every secret key or session token resolved later) and
 * `identity.info` (which identity was used, filled in on the first request).
 */
export function createS3ClientWithIdentity(
	credentials: S3StorageCredentials,
	options: ClientOptions = {},
): { client: S3Client; identity: ResolvedIdentity } {
	const connection = resolveConnection(credentials);
	const socketTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
	const connectionTimeout = options.connectionTimeout ?? DEFAULT_CONNECTION_TIMEOUT_MS;
	const identity = resolveIdentity(credentials, { region: connection.region, endpoint: connection.endpoint, socketTimeout, connectionTimeout });
	const maxSockets = options.maxSockets ?? 50;
	const agentOptions = { keepAlive: true, maxSockets };
	const httpAgent = new HttpAgent(agentOptions);
	const httpsAgent = new HttpsAgent({ ...agentOptions, rejectUnauthorized: !credentials.ignoreSslIssues });
	const http = new NodeHttpHandler({
		// The "Request Timeout" option is an idle timeout (no data for so long): that is the
		// handler's socketTimeout. Its requestTimeout caps a whole request and, without
		// throwOnRequestTimeout, only logs a warning, so a stalled server would hang the item.
		// 0 turns either off (the handler skips a timeout of 0).
		socketTimeout,
		connectionTimeout,
		httpAgent,
		httpsAgent,
	});
	const config: S3ClientConfig = {
		region: connection.region,
		endpoint: connection.endpoint,
		forcePathStyle: connection.forcePathStyle,
		credentials: identity.credentials,
		maxAttempts: options.maxAttempts ?? 3,
		retryMode: options.retryMode ?? 'standard',
		// Reuse the resolved middleware of a command class for sends without per-call options
		// (bulk uploads, lib-storage parts): resolving it costs ≈ 0.4 ms of CPU per request.
		cacheMiddleware: true,
		// The SDK follows a bucket's region on a 301 for AWS only; keep it predictable elsewhere.
		followRegionRedirects: !connection.endpoint,
		requestHandler: options.abortSignal ? new CancellableHttpHandler(http, options.abortSignal, [httpAgent, httpsAgent]) : http,
	};
	if (connection.endpoint && !options.fullChecksums) {
		config.requestChecksumCalculation = 'WHEN_REQUIRED';
		config.responseChecksumValidation = 'WHEN_REQUIRED';
	}
	return { client: new S3Client(config), identity };
}
