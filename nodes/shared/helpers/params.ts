import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions, INodeParameters } from 'n8n-workflow';
import { validateBucketName, validateKey } from './validation';

/**
 * Per execution (the IExecuteFunctions object): the node's saved parameters (expressions not
 * resolved, from `getNode()` once), whether each parameter read so far is the same for every item
 * (saved and holding no expression), and the resolved values of those.
 */
const perExecution = new WeakMap<object, { saved: INodeParameters; fixed: Map<string, boolean>; values: Map<string, unknown> }>();

/** Whether a raw parameter value (or anything inside it) is an n8n expression ("=..."). */
function holdsExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	if (Array.isArray(raw)) return raw.some(holdsExpression);
	if (raw && typeof raw === 'object') return Object.values(raw as Record<string, unknown>).some(holdsExpression);
	return false;
}

/** Whether parameter `name` ("a.b" paths too) is saved on the node and holds no expression. */
function isFixed(saved: INodeParameters, name: string): boolean {
	let value: unknown = saved;
	for (const part of name.split('.')) {
		if (!value || typeof value !== 'object') return false;
		value = (value as Record<string, unknown>)[part];
	}
	return value !== undefined && !holdsExpression(value);
}

/**
 * `ctx.getNodeParameter(name, itemIndex, fallback, options)`, resolved once per execution when
 * the parameter holds no expression: n8n resolves and validates a parameter on every call
 * (≈ 0.05-0.1 ms of CPU each), which adds up over thousands of items. Whether it holds one is
 * read from the node's saved parameters (`getNode().parameters`, once per execution: in n8n only
 * an expression can give items different values). An expression, or a parameter the node does
 * not hold, is resolved for every item. Treat the result as read-only: items share it.
 *
 * @throws what getNodeParameter throws (a missing parameter without fallback, a bad expression)
 */
export function nodeParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown {
	let state = perExecution.get(ctx);
	if (!state) perExecution.set(ctx, (state = { saved: ctx.getNode().parameters ?? {}, fixed: new Map(), values: new Map() }));
	const slot = `${name}\u0000${options?.extractValue ? 'x' : ''}${options?.skipValidation ? 's' : ''}`;
	if (state.values.has(slot)) return state.values.get(slot);
	const value = ctx.getNodeParameter(name, itemIndex, fallback, options) as unknown;
	let fixed = state.fixed.get(name);
	if (fixed === undefined) state.fixed.set(name, (fixed = isFixed(state.saved, name)));
	if (fixed) state.values.set(slot, value);
	return value;
}

/**
 * The value of a resource-locator value (`{ __rl: true, value, mode }`), else `value` itself.
 * n8n's `extractValue` unwraps a resource locator only where the node's description declares the
 * parameter as one; a workflow may still hold one where the field is a plain string (the contract
 * in INTERFACE.md: e.g. bucket `create`'s `bucketName`), so every reader unwraps it here too.
 */
export function locatorValue(value: unknown): unknown {
	if (typeof value === 'object' && value !== null && !Array.isArray(value) && ('__rl' in value || ('mode' in value && 'value' in value))) {
		return (value as { value: unknown }).value;
	}
	return value;
}

/**
 * How bucket and key locators are read: `locatorValue` unwraps them, and the checks that follow
 * (validateBucketName, validateKey) are stricter than n8n's. n8n's own `extractValue` and schema
 * validation would only do the same here (no mode of these locators has an extract regex, and
 * n8n checks a locator mode's `validation` in the editor, not at run time), but each walks the
 * node's whole property list per call (≈ 0.05 ms per item, measured in a CPU profile of 2,000
 * uploads): an expression such as a per-item key is resolved for every item.
 */
const LOCATOR_READ: IGetNodeParameterOptions = { skipValidation: true };

/**
 * Reads a bucket parameter (resource locator, or a plain string) and checks it; `strict` applies
 * S3's naming rules for new buckets (3–63 lower-case letters, digits, dots, hyphens).
 * @throws NodeOperationError when empty or not a bucket name
 */
export function getBucketParam(ctx: IExecuteFunctions, itemIndex: number, name = 'bucketName', label = 'Bucket Name', strict = false): string {
	const value = locatorValue(nodeParameter(ctx, name, itemIndex, '', LOCATOR_READ));
	return validateBucketName(ctx, value, itemIndex, label, strict);
}

/**
 * Reads an object key parameter (resource locator, or a plain string) and checks it.
 * @throws NodeOperationError when empty or longer than 1024 UTF-8 bytes
 */
export function getKeyParam(ctx: IExecuteFunctions, itemIndex: number, name = 'key', label = 'Key'): string {
	const value = locatorValue(nodeParameter(ctx, name, itemIndex, '', LOCATOR_READ));
	return validateKey(ctx, typeof value === 'number' ? String(value) : value, itemIndex, label);
}

/** The operation's `options` collection for an item ({} when none are set). */
export function getOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (nodeParameter(ctx, 'options', itemIndex, {}) as IDataObject) ?? {};
}
