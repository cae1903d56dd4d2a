import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { deleteKeys } from '../../../shared/helpers/deletion';
import { getBucketParam } from '../../../shared/helpers/params';
import { validateKey } from '../../../shared/helpers/validation';
import { bucketLocator, optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'deleteMany', [
		bucketLocator(),
		{
			displayName: 'Keys',
			name: 'keys',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'reports/a.csv\nreports/b.csv',
			// eslint-disable-next-line n8n-nodes-base/node-param-description-miscased-json -- "$json" in the example expression is n8n syntax and must stay lower-case
			description: 'The keys to delete, one per line, or an array from an expression such as {{ $json.keys }}',
		},
	]),
	optionsCollection('object', 'deleteMany', []),
];

/**
 * Turns the Keys parameter into a list: an array (from an expression) or text with one key
 * per line (blank lines skipped, a trailing \r dropped). Duplicates are kept once.
 */
export function parseKeys(value: unknown): string[] {
	let keys: string[];
	if (Array.isArray(value)) {
		keys = value.map((v) => (v && typeof v === 'object' && 'key' in v ? String((v as { key: unknown }).key) : String(v ?? '')));
	} else if (typeof value === 'string') {
		keys = value.split('\n').map((line) => line.replace(/\r$/, ''));
	} else keys = [];
	return [...new Set(keys.filter((k) => k.trim() !== ''))];
}

/**
 * Delete Many: removes a list of keys (S3 API: DeleteObjects, 1000 keys per request).
 * Output: { bucket, deleted: [keys], errors: [{ key, code, message }], requests }
 * @throws NodeOperationError when the list is empty or a key is invalid
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	ctx.target.bucket = bucket;
	const keys = parseKeys(this.getNodeParameter('keys', i, ''));
	if (keys.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Keys is empty: give the keys to delete, one per line, or an array from an expression', {
			itemIndex: i,
		});
	}
	keys.forEach((k) => validateKey(this, k, i, 'A key in Keys'));
	const result = await deleteKeys(ctx.client, bucket, keys, ctx.abortSignal);
	if (result.errors.length) {
		this.addExecutionHints?.({
			message: `${result.errors.length} of ${keys.length} keys could not be deleted: see "errors" in the output (code and message per key)`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return [{ json: { bucket, deleted: result.deleted, errors: result.errors, requests: result.requests } }];
}
