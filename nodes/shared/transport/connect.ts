import type { S3Client } from '@aws-sdk/client-s3';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { createS3ClientWithIdentity, CredentialConfigError, resolveConnection, type ClientOptions, type S3StorageCredentials } from './client';
import type { ResolvedIdentity } from './credentials';
import { redact } from './errors';

/** An S3 client for one execution or poll, with what error messages need. */
export interface Connection {
	client: S3Client;
	/** the endpoint in use; undefined for AWS's own */
	endpoint?: string;
	/**
	 * secrets to remove from any message (see redact): the credential's, plus every secret key
	 * and session token its identity resolves later (host identity, assumed role), appended as
	 * they appear
	 */
	secrets: string[];
	/** which identity the client uses (filled in on its first request) */
	identity: ResolvedIdentity;
}

/**
 * Builds the S3 client both nodes use (see createS3Client) from an `s3StorageApi` credential.
 * The caller destroys `client` when done.
 *
 * @throws NodeOperationError naming the credential field to fix (endpoint missing, without a
 *   scheme, not a URL; host identity not allowed by the n8n admin; assume role without a role
 *   ARN), never showing a secret
 */
export function connect(node: INode, credentials: S3StorageCredentials, options: ClientOptions = {}): Connection {
	const secrets = [credentials.secretAccessKey, credentials.sessionToken ?? ''].map((s) => String(s ?? ''));
	try {
		const endpoint = resolveConnection(credentials).endpoint;
		const { client, identity } = createS3ClientWithIdentity(credentials, options);
		return { client, endpoint, secrets: identity.secrets, identity };
	} catch (error) {
		if (error instanceof CredentialConfigError) {
			// the endpoint is quoted in the message; keys pasted into it must not show
			throw new NodeOperationError(node, redact(error.message, secrets), {
				description: 'Open the S3 Storage API credential and fix the field named above.',
			});
		}
		throw new NodeOperationError(node, error as Error);
	}
}
