import type { S3Client } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { ErrorTarget } from '../../shared/transport/errors';

/** What the router hands an operation for one item. */
export interface OperationContext {
	/**
	 * The execution's S3 client (one per execution, shared by all items). It was made with
	 * `abortSignal`: when n8n cancels the execution its requests stop and are not retried, so a
	 * plain `client.send(command)` needs no per-call signal (and without per-call options the
	 * client reuses its resolved middleware).
	 */
	client: S3Client;
	/** Index of the input item being processed. */
	itemIndex: number;
	/** Set by the operation to the bucket/key it works on, so errors can name them. */
	target: ErrorTarget;
	/** Aborts S3 calls when n8n cancels the execution. */
	abortSignal?: AbortSignal;
}

/**
 * One operation: its parameters and how it handles a single item. The router owns the item
 * loop, `pairedItem`, error wrapping and Continue On Fail; `execute` only talks to S3 and
 * returns the output items for its input item (without `pairedItem`).
 */
export interface S3Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]>;
}

export type Resource = 'bucket' | 'object' | 'folder';
