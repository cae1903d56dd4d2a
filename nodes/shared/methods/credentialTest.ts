import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { createS3Client, CredentialConfigError, resolveConnection, type S3StorageCredentials } from '../transport/client';
import { redact, s3ErrorCode, s3HttpStatus, toNodeError } from '../transport/errors';

/**
 * Credential test: sends ListBuckets with the credential (S3 API: ListBuckets).
 * AccessDenied means the keys were accepted but may not list buckets, which is fine for
 * keys scoped to one bucket: the test passes with a note. Other failures say what failed
 * (endpoint format, DNS, TLS, connection, bad keys), never including the secret.
 */
export async function s3StorageApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as unknown as S3StorageCredentials;
	const secrets = [String(data.secretAccessKey ?? ''), String(data.sessionToken ?? '')];
	let endpoint: string | undefined;
	try {
		endpoint = resolveConnection(data).endpoint;
	} catch (error) {
		// the endpoint is quoted in the message; keys pasted into it must not show
		if (error instanceof CredentialConfigError) return { status: 'Error', message: redact(error.message, secrets) };
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a credential test has no node (no getNode()) to build a NodeApiError from; n8n reports the thrown error as a failed test
		throw error;
	}
	const client = createS3Client(data, { maxAttempts: 1, requestTimeout: 15_000 });
	try {
		await client.send(new ListBucketsCommand({}));
		return { status: 'OK', message: 'Connection successful: the keys can list buckets' };
	} catch (error) {
		const code = s3ErrorCode(error);
		if (code === 'AccessDenied' || (s3HttpStatus(error) === 403 && code !== 'SignatureDoesNotMatch' && code !== 'InvalidAccessKeyId')) {
			return {
				status: 'OK',
				message: 'Keys accepted, but they may not list buckets (AccessDenied on ListBuckets): fine for keys limited to one bucket; type the bucket name in the node',
			};
		}
		const node = { id: 'credential-test', name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const explained = toNodeError(node, error, 0, { endpoint: endpoint ?? 'AWS S3' }, secrets);
		return { status: 'Error', message: redact(explained.message, secrets) };
	} finally {
		client.destroy();
	}
}
