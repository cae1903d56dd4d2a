import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { createS3ClientWithIdentity, CredentialConfigError, resolveConnection, type S3StorageCredentials } from '../transport/client';
import { describeIdentity } from '../transport/credentials';
import { redact, s3ErrorCode, s3HttpStatus, toNodeError } from '../transport/errors';

/**
 * Credential test: sends ListBuckets with the credential (S3 API: ListBuckets; before it STS
 * AssumeRole when "Assume Role" is on, and the host's provider chain for host identity).
 * AccessDenied means the keys were accepted but may not list buckets, which is fine for
 * keys scoped to one bucket: the test passes with a note. The message names the identity used
 * (access key ID; the host identity's source; the assumed role's ARN and session). Other
 * failures say what failed (endpoint format, host identity not allowed, AssumeRole refused, DNS,
 * TLS, connection, bad keys), never including a secret.
 */
export async function s3StorageApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as unknown as S3StorageCredentials;
	let secrets = [String(data.secretAccessKey ?? ''), String(data.sessionToken ?? '')];
	let endpoint: string | undefined;
	let built;
	try {
		endpoint = resolveConnection(data).endpoint;
		built = createS3ClientWithIdentity(data, { maxAttempts: 1, requestTimeout: 15_000 });
	} catch (error) {
		// the endpoint is quoted in the message; keys pasted into it must not show
		if (error instanceof CredentialConfigError) return { status: 'Error', message: redact(error.message, secrets) };
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a credential test has no node (no getNode()) to build a NodeApiError from; n8n reports the thrown error as a failed test
		throw error;
	}
	const { client, identity } = built;
	secrets = identity.secrets;
	try {
		await client.send(new ListBucketsCommand({}));
		return { status: 'OK', message: redact(`Connection successful ${describeIdentity(identity.info)}: it can list buckets`, secrets) };
	} catch (error) {
		const code = s3ErrorCode(error);
		if (code === 'AccessDenied' || (s3HttpStatus(error) === 403 && code !== 'SignatureDoesNotMatch' && code !== 'InvalidAccessKeyId')) {
			return {
				status: 'OK',
				message: redact(`Connected ${describeIdentity(identity.info)}: accepted, but it may not list buckets (AccessDenied on ListBuckets): fine for keys limited to one bucket; type the bucket name in the node`, secrets),
			};
		}
		const node = { id: 'credential-test', name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const explained = toNodeError(node, error, 0, { endpoint: endpoint ?? 'AWS S3' }, secrets);
		return { status: 'Error', message: redact(explained.message, secrets) };
	} finally {
		client.destroy();
	}
}
