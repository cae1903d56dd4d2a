import { Agent as HttpsAgent } from 'node:https';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** A credential provider as the SDK's providers return it. */
type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;
/** Keys (+ session token, expiry) as a provider resolves them. */
type AwsCredentialIdentity = Awaited<ReturnType<AwsCredentialIdentityProvider>>;

/**
 * Environment variable with which the n8n admin allows `hostIdentity` for this package's
 * credential (`true`). Without it (or n8n's own {@link N8N_AWS_SYSTEM_CREDENTIALS_ENV}), a
 * credential set to host identity is refused, since every n8n user who may use the credential
 * would act as the n8n host.
 */
export const HOST_IDENTITY_ENV = 'N8N_S3_STORAGE_ALLOW_HOST_IDENTITY';

/**
 * n8n's own switch for its AWS nodes' "system credentials" (n8n's SecurityConfig
 * `awsSystemCredentialsAccess`, default false): an admin who turned it on has allowed n8n users
 * to act as the host's AWS identity, so it allows this package's host identity too.
 */
export const N8N_AWS_SYSTEM_CREDENTIALS_ENV = 'N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED';

/** Default lifetime of an assumed role's session, seconds (as STS's own default). */
export const DEFAULT_ROLE_SESSION_DURATION = 3600;

/** Default role session name (STS: 2–64 characters of `[\w+=,.@-]`). */
export const DEFAULT_ROLE_SESSION_NAME = 'n8n-s3-storage';

/** The credential fields this module reads (a subset of S3StorageCredentials). */
export interface IdentityFields {
	authentication?: 'accessKeys' | 'hostIdentity' | string;
	accessKeyId?: string;
	secretAccessKey?: string;
	sessionToken?: string;
	assumeRole?: boolean;
	roleArn?: string;
	externalId?: string;
	roleSessionName?: string;
	/** seconds */
	roleSessionDuration?: number;
	ignoreSslIssues?: boolean;
}

/** Where STS is: the S3 endpoint for a custom server (RGW, MinIO serve AssumeRole there), else AWS's regional STS. */
export interface StsTarget {
	region: string;
	/** undefined: AWS's own STS endpoint for the region */
	endpoint?: string;
	/** milliseconds, as the S3 client's */
	connectionTimeout?: number;
	socketTimeout?: number;
}

/** Raised for a credential that cannot work; the message names the field and the fix. */
export class CredentialConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}

/**
 * Getting credentials failed (AssumeRole refused, no host identity found). The message says which
 * step failed and what to check; `code`/`httpStatusCode` are the STS answer's, when there was one.
 */
export class IdentityResolutionError extends Error {
	constructor(
		message: string,
		readonly code?: string,
		readonly httpStatusCode?: number,
	) {
		super(message);
		this.name = 'IdentityResolutionError';
	}
}

/** What the last resolution produced (for the credential test); never holds a secret. */
export interface IdentityInfo {
	/** `accessKeys`, `hostIdentity` or `assumeRole` */
	kind: 'accessKeys' | 'hostIdentity' | 'assumeRole';
	/** the access key ID in use (not a secret) */
	accessKeyId?: string;
	/** where the host identity came from, e.g. "container credentials endpoint" */
	source?: string;
	roleArn?: string;
	roleSessionName?: string;
	/** when the temporary keys expire */
	expiration?: Date;
}

/** The credentials for an S3 client, plus what is needed to redact and describe them. */
export interface ResolvedIdentity {
	/** static keys, or a provider the SDK calls (and calls again before the keys expire) */
	credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
	/**
	 * Secrets to redact from every message: the credential's own, plus each secret key and
	 * session token the provider resolves (appended as they appear).
	 */
	secrets: string[];
	/** filled in on every resolution */
	info: IdentityInfo;
}

/**
 * True when the n8n admin allows host identity: `N8N_S3_STORAGE_ALLOW_HOST_IDENTITY=true`, or
 * n8n's `N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED=true`.
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- the admin's opt-in for host identity is an environment variable of the n8n process (as n8n's own N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED); nothing else is read from process
export function hostIdentityAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
	return [env[HOST_IDENTITY_ENV], env[N8N_AWS_SYSTEM_CREDENTIALS_ENV]].some((v) => /^(true|1)$/i.test(String(v ?? '').trim()));
}

const SOURCES: Record<string, string> = {
	CREDENTIALS_ENV_VARS: 'environment variables',
	CREDENTIALS_PROFILE: 'shared credentials/config file',
	CREDENTIALS_PROFILE_SOURCE_PROFILE: 'shared config file (source profile)',
	CREDENTIALS_PROFILE_PROCESS: 'shared config file (credential_process)',
	CREDENTIALS_PROCESS: 'credential_process',
	CREDENTIALS_HTTP: 'container credentials endpoint (ECS/EKS)',
	CREDENTIALS_IMDS: 'EC2 instance metadata',
	CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'web identity token (EKS IRSA)',
	CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN: 'web identity token (shared config file)',
	CREDENTIALS_SSO: 'IAM Identity Center (SSO)',
	CREDENTIALS_PROFILE_SSO: 'IAM Identity Center (SSO)',
	CREDENTIALS_SSO_LEGACY: 'IAM Identity Center (SSO)',
	CREDENTIALS_PROFILE_SSO_LEGACY: 'IAM Identity Center (SSO)',
	CREDENTIALS_LOGIN: 'console login',
	CREDENTIALS_PROFILE_LOGIN: 'console login',
};

/** Readable source of credentials from the SDK's provider chain (its `$source` feature flags). */
function sourceOf(identity: AwsCredentialIdentity): string | undefined {
	const flags = Object.keys((identity as { $source?: Record<string, string> }).$source ?? {});
	for (const f of flags) if (SOURCES[f]) return SOURCES[f];
	return flags[0];
}

interface StsErrorLike {
	name?: string;
	message?: string;
	Code?: string;
	$metadata?: { httpStatusCode?: number };
}

/** Explains a failed AssumeRole call; the SDK reports RGW's 404 NoSuchEntity only as NotFound/UnknownError. */
function assumeRoleError(error: unknown, roleArn: string, base: string): IdentityResolutionError {
	const e = (error ?? {}) as StsErrorLike;
	const status = e.$metadata?.httpStatusCode;
	const code = e.Code ?? e.name;
	if (status === undefined) {
		// no answer from STS: a network problem, or the base identity could not be found
		if (error instanceof IdentityResolutionError) return error;
		return new IdentityResolutionError(`Could not assume role "${roleArn}" with ${base}: ${e.message ?? String(error)}`, code);
	}
	let why: string;
	if (status === 404 || code === 'NoSuchEntity' || code === 'NotFound')
		why = 'the role does not exist: check "Role ARN" (e.g. arn:aws:iam::123456789012:role/MyRole)';
	else if (status === 403 || code === 'AccessDenied')
		why = `${base} may not assume it: the role's trust policy must allow sts:AssumeRole for this identity (and the External ID, if it asks for one)`;
	else if (code === 'ExpiredToken' || code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch')
		why = `${base} was not accepted by STS (${code}): check the keys`;
	else if (code === 'ValidationError' || status === 400)
		why = `STS refused the request (${code ?? 'HTTP 400'}${e.message && e.message !== code && e.message !== 'UnknownError' ? `: ${e.message}` : ''}): check "Role Session Name" (2–64 characters of letters, digits and + = , . @ _ -) and "Session Duration" (AWS: 900 s up to the role's maximum)`;
	else why = `STS answered ${code ?? 'an error'} (HTTP ${status})`;
	return new IdentityResolutionError(`Could not assume role "${roleArn}": ${why}`, code, status);
}

/**
 * Chooses the credentials for an S3 client from the credential's fields (SDK providers only):
 * - `authentication` `accessKeys` (the default, also for credentials saved before the field
 *   existed): the access key pair (+ session token) as static credentials;
 * - `hostIdentity`: the AWS SDK's default provider chain on the n8n host (environment, shared
 *   config/credentials files, web identity, ECS/EKS container endpoint, EC2 instance metadata),
 *   allowed only when {@link hostIdentityAllowed};
 * - `assumeRole` on top of either: STS AssumeRole (`roleArn`, `externalId`, `roleSessionName`,
 *   `roleSessionDuration` seconds) through the SDK's fromTemporaryCredentials, which calls it
 *   again before the session expires (the S3 client refreshes keys that expire within 5 minutes).
 *   STS is reached at `sts.endpoint` for a custom server, else AWS's regional STS.
 *
 * No request is sent here; the provider runs on the client's first request. Its failures are
 * {@link IdentityResolutionError}s naming the role or the host.
 *
 * @throws CredentialConfigError for host identity without the admin's permission, or assume role
 *   without a role ARN, or access keys left empty
 */
export function resolveIdentity(fields: IdentityFields, sts: StsTarget): ResolvedIdentity {
	const authentication = fields.authentication || 'accessKeys';
	const secrets: string[] = [fields.secretAccessKey, fields.sessionToken].map((s) => String(s ?? '').trim()).filter(Boolean);
	const info: IdentityInfo = { kind: 'accessKeys' };
	const remember = (identity: AwsCredentialIdentity) => {
		for (const s of [identity.secretAccessKey, identity.sessionToken]) if (s && !secrets.includes(s)) secrets.push(s);
		info.accessKeyId = identity.accessKeyId;
		info.expiration = identity.expiration;
	};

	let base: AwsCredentialIdentity | AwsCredentialIdentityProvider;
	let baseLabel: string;
	if (authentication === 'hostIdentity') {
		if (!hostIdentityAllowed()) {
			throw new CredentialConfigError(
				`Host identity is not enabled on this n8n instance: the n8n admin must set the environment variable ${HOST_IDENTITY_ENV}=true (or n8n's ${N8N_AWS_SYSTEM_CREDENTIALS_ENV}=true) and restart n8n, since everyone who can use this credential then acts as the n8n host; or set "Authentication" to Access Keys`,
				'authentication',
			);
		}
		const chain = fromNodeProviderChain();
		info.kind = 'hostIdentity';
		baseLabel = "the n8n host's AWS identity";
		base = async (props) => {
			try {
				const identity = await chain(props);
				info.source = sourceOf(identity);
				if (!fields.assumeRole) remember(identity);
				else for (const s of [identity.secretAccessKey, identity.sessionToken]) if (s && !secrets.includes(s)) secrets.push(s);
				return identity;
			} catch (error) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a credential provider has no node context; router.ts / the credential test turn this into a NodeApiError (errors.ts toNodeError)
				throw new IdentityResolutionError(
					`The n8n host has no AWS identity the AWS SDK can find (environment variables, shared credentials file, web identity token, container or EC2 instance role): ${(error as Error)?.message ?? String(error)}`,
					(error as Error)?.name,
				);
			}
		};
	} else if (authentication === 'accessKeys') {
		const accessKeyId = String(fields.accessKeyId ?? '').trim();
		base = {
			accessKeyId,
			secretAccessKey: String(fields.secretAccessKey ?? '').trim(),
			sessionToken: fields.sessionToken ? String(fields.sessionToken).trim() : undefined,
		};
		info.accessKeyId = accessKeyId;
		baseLabel = `access key ${accessKeyId}`;
	} else {
		throw new CredentialConfigError(`Unknown "Authentication" value "${authentication}": choose Access Keys or Host Identity`, 'authentication');
	}

	if (!fields.assumeRole) return { credentials: base, secrets, info };

	const roleArn = String(fields.roleArn ?? '').trim();
	if (!roleArn) throw new CredentialConfigError('"Assume Role" is on but "Role ARN" is empty: enter the ARN of the role, e.g. arn:aws:iam::123456789012:role/MyRole', 'roleArn');
	const roleSessionName = String(fields.roleSessionName ?? '').trim() || DEFAULT_ROLE_SESSION_NAME;
	const duration = fields.roleSessionDuration === undefined || fields.roleSessionDuration === null || String(fields.roleSessionDuration) === '' ? DEFAULT_ROLE_SESSION_DURATION : Number(fields.roleSessionDuration);
	if (!Number.isInteger(duration) || duration < 1) {
		throw new CredentialConfigError(`"Session Duration" must be a whole number of seconds (AWS: 900 to the role's maximum, up to 43200); got ${String(fields.roleSessionDuration)}`, 'roleSessionDuration');
	}
	const externalId = String(fields.externalId ?? '').trim();
	info.kind = 'assumeRole';
	info.roleArn = roleArn;
	info.roleSessionName = roleSessionName;
	const stsProvider = fromTemporaryCredentials({
		masterCredentials: base,
		params: { RoleArn: roleArn, RoleSessionName: roleSessionName, DurationSeconds: duration, ...(externalId ? { ExternalId: externalId } : {}) },
		clientConfig: {
			region: sts.region,
			...(sts.endpoint ? { endpoint: sts.endpoint } : {}),
			maxAttempts: 3,
			requestHandler: {
				connectionTimeout: sts.connectionTimeout,
				socketTimeout: sts.socketTimeout,
				...(fields.ignoreSslIssues ? { httpsAgent: new HttpsAgent({ rejectUnauthorized: false }) } : {}),
			},
		},
	});
	const credentials: AwsCredentialIdentityProvider = async (props) => {
		try {
			const identity = await stsProvider(props);
			remember(identity);
			return identity;
		} catch (error) {
			throw assumeRoleError(error, roleArn, baseLabel);
		}
	};
	return { credentials, secrets, info };
}

/** One line naming the identity a client used, e.g. for the credential test. */
export function describeIdentity(info: IdentityInfo): string {
	const until = info.expiration ? `, temporary keys valid until ${info.expiration.toISOString()}` : '';
	if (info.kind === 'assumeRole') return `as role ${info.roleArn} (session "${info.roleSessionName}"${info.source ? `, assumed with the n8n host's identity from ${info.source}` : ''}${until})`;
	if (info.kind === 'hostIdentity') return `as the n8n host's AWS identity (${info.source ?? 'default provider chain'}, access key ID ${info.accessKeyId ?? '?'}${until})`;
	return `with access key ${info.accessKeyId ?? '?'}`;
}
