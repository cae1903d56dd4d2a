/**
 * Shorthands for running the S3 Storage node in tests: `run(params, options)` executes it
 * with the fake n8n context against the test server.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { S3Storage } from '../../nodes/S3Storage/S3Storage.node';
import { runNode, type RunOptions } from './context';

export const node = new S3Storage();

/** A resource-locator value as the editor saves it. */
export const rl = (value: string, mode = 'name') => ({ __rl: true, mode, value });

/** Runs the node once with the given parameters (one set for all items, or one per item). */
export async function run(
	params: INodeParameters | INodeParameters[],
	options: Omit<RunOptions, 'params'> = {},
): Promise<INodeExecutionData[]> {
	const { output } = await runNode(node, { ...options, params });
	return output;
}

/** Runs the node and returns the error it throws (fails the test when it does not throw). */
export async function runError(
	params: INodeParameters | INodeParameters[],
	options: Omit<RunOptions, 'params'> = {},
): Promise<Error & { description?: string; httpCode?: string | null; context?: Record<string, unknown> }> {
	try {
		await run(params, options);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to throw, but it succeeded');
}
