import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { DEFAULT_REQUEST_TIMEOUT_MS, type ClientOptions, type S3StorageCredentials } from '../../shared/transport/client';
import { connect } from '../../shared/transport/connect';
import { s3ErrorCode, s3HttpStatus, toNodeError } from '../../shared/transport/errors';
import { runBounded } from '../../shared/helpers/concurrency';
import { DEFAULT_CONCURRENCY } from './common.descriptions';
import { operations } from './operations';
import type { OperationContext } from './types';

/**
 * The node's `execute`: picks the operation from `resource`/`operation`, builds one S3
 * client for the execution, and runs the operation once per input item (with the
 * `concurrency` option, several at once). Output keeps the input's order; every output item
 * carries `pairedItem` pointing at its input item. A failing item either stops the execution
 * with a NodeApiError/NodeOperationError, or, with Continue On Fail, becomes
 * `{ error, code, httpStatusCode }` paired with its input.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for resource "${resource}"`);
	}

	const credentials = await this.getCredentials<S3StorageCredentials>('s3StorageApi');
	const first = (this.getNodeParameter('options', 0, {}) as IDataObject) ?? {};
	const clientOptions: ClientOptions = {
		maxAttempts: first.maxAttempts !== undefined ? Number(first.maxAttempts) : undefined,
		retryMode: first.retryMode as ClientOptions['retryMode'],
		requestTimeout: first.requestTimeout !== undefined ? Number(first.requestTimeout) : undefined,
		connectionTimeout: first.connectionTimeout !== undefined ? Number(first.connectionTimeout) : undefined,
		fullChecksums: first.fullChecksums === true,
	};
	for (const [name, label] of [['requestTimeout', 'Request Timeout'], ['connectionTimeout', 'Connection Timeout']] as const) {
		const ms = clientOptions[name];
		if (ms !== undefined && (!Number.isFinite(ms) || ms < 0)) {
			throw new NodeOperationError(this.getNode(), `${label} must be a number of milliseconds, 0 or more (0 = no limit)`);
		}
	}
	if (clientOptions.maxAttempts !== undefined && (!Number.isInteger(clientOptions.maxAttempts) || clientOptions.maxAttempts < 1)) {
		throw new NodeOperationError(this.getNode(), 'Max Attempts must be a whole number of at least 1');
	}
	const abortSignal = this.getExecutionCancelSignal?.();
	// every request of the execution stops when it is cancelled, with or without per-call options
	const { client, endpoint, secrets } = connect(this.getNode(), credentials, { ...clientOptions, abortSignal });
	const concurrency = Math.max(1, Math.floor(Number(first.concurrency ?? DEFAULT_CONCURRENCY)) || 1);
	const results: INodeExecutionData[][] = new Array(items.length);
	const continueOnFail = this.continueOnFail();

	try {
		await runBounded(items.length, concurrency, async (itemIndex) => {
			const ctx: OperationContext = {
				client,
				itemIndex,
				abortSignal,
				target: { endpoint, requestTimeout: (clientOptions.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS) || undefined, cancelSignal: abortSignal },
			};
			try {
				const out = await op.execute.call(this, ctx);
				results[itemIndex] = out.map((o) => ({ ...o, pairedItem: { item: itemIndex } }));
			} catch (raw) {
				const error = toNodeError(this.getNode(), raw, itemIndex, ctx.target, secrets);
				if (!continueOnFail) throw error;
				const json: IDataObject = { error: error.message };
				const code = (error.context.code as string | undefined) ?? s3ErrorCode(raw);
				const status = (error.context.httpStatusCode as number | undefined) ?? s3HttpStatus(raw);
				if (code !== undefined) json.code = code;
				if (status !== undefined) json.httpStatusCode = status;
				// n8n routes an item to the error output ("On Error: Continue (using error output)")
				// only when its json is exactly { error }; it then merges in the input item's fields.
				results[itemIndex] =
					this.getNode().onError === 'continueErrorOutput'
						? [{ json: { error: error.message }, pairedItem: { item: itemIndex } }]
						: [{ json, pairedItem: { item: itemIndex } }];
			}
		});
	} finally {
		client.destroy();
	}
	return [results.flat()];
}
