import type { S3Client } from '@aws-sdk/client-s3';
import { NodeOperationError, type INode } from 'n8n-workflow';
import { createS3Client, CredentialConfigError, resolveConnection, type ClientOptions, type S3StorageCredentials } from './client';
import { redact } from './errors';

/** An S3 client for one execution or poll, with what error messages need. */
export interface Connection {
	client: S3Client;
	/** the endpoint in use; undefined for AWS's own */
	endpoint?: string;
	/** credential secrets to remove from any message (see redact) */
	secrets: string[];
}

/**
 * Builds the S3 client both nodes use (see createS3Client) from an `s3StorageApi` credential.
 * The caller destroys `client` when done.
 *
 * @throws NodeOperationError naming the credential field to fix (endpoint missing, without a
 *   scheme, not a URL), never showing a secret
 */
export function connect(node: INode, credentials: S3StorageCredentials, options: ClientOptions = {}): Connection {
	const secrets = [credentials.secretAccessKey, credentials.sessionToken ?? ''].map((s) => String(s ?? ''));
	try {
		const endpoint = resolveConnection(credentials).endpoint;
		return { client: createS3Client(credentials, options), endpoint, secrets };
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
