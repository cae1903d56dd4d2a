import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { validateBucketName, validateKey } from './validation';

/**
 * Reads a bucket parameter (resource locator, or a plain string) and checks it.
 * @throws NodeOperationError when empty or not a bucket name
 */
export function getBucketParam(ctx: IExecuteFunctions, itemIndex: number, name = 'bucketName', label = 'Bucket Name', strict = false): string {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	return validateBucketName(ctx, value, itemIndex, label, strict);
}

/**
 * Reads an object key parameter (resource locator, or a plain string) and checks it.
 * @throws NodeOperationError when empty or longer than 1024 UTF-8 bytes
 */
export function getKeyParam(ctx: IExecuteFunctions, itemIndex: number, name = 'key', label = 'Key'): string {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	return validateKey(ctx, typeof value === 'number' ? String(value) : value, itemIndex, label);
}

/** The operation's `options` collection for an item ({} when none are set). */
export function getOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}
