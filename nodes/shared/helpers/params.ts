import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validateBucketName, validateKey } from './validation';

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
 * Reads a bucket parameter (resource locator, or a plain string) and checks it; `strict` applies
 * S3's naming rules for new buckets (3–63 lower-case letters, digits, dots, hyphens).
 * @throws NodeOperationError when empty or not a bucket name
 */
export function getBucketParam(ctx: IExecuteFunctions, itemIndex: number, name = 'bucketName', label = 'Bucket Name', strict = false): string {
	const value = locatorValue(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	return validateBucketName(ctx, value, itemIndex, label, strict);
}

/**
 * Reads an object key parameter (resource locator, or a plain string) and checks it.
 * @throws NodeOperationError when empty or longer than 1024 UTF-8 bytes
 */
export function getKeyParam(ctx: IExecuteFunctions, itemIndex: number, name = 'key', label = 'Key'): string {
	const value = locatorValue(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
	return validateKey(ctx, typeof value === 'number' ? String(value) : value, itemIndex, label);
}

/** The operation's `options` collection for an item ({} when none are set). */
export function getOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}
