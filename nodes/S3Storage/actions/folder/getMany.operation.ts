import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readLimit } from '../../../shared/helpers/limits';
import { listPages } from '../../../shared/helpers/listing';
import { getBucketParam, getOptions } from '../../../shared/helpers/params';
import { normalizeFolderKey } from '../../../shared/helpers/validation';
import { bucketLocator, optionsCollection, returnAllAndLimit, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('folder', 'getMany', [bucketLocator(), ...returnAllAndLimit]),
	optionsCollection('folder', 'getMany', [
		{
			displayName: 'Parent Folder Key',
			name: 'parentFolderKey',
			type: 'string',
			default: '',
			placeholder: 'reports/',
			description: 'List the folders directly under this one; empty lists the top level of the bucket',
		},
	]),
];

/**
 * Get Many: lists folders, the common prefixes directly under a parent (S3 API: ListObjectsV2
 * with delimiter "/"). One item per folder: { prefix (ends with "/"), name }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	ctx.target.bucket = bucket;
	const limit = readLimit(this, i);
	const parent = normalizeFolderKey(String(getOptions(this, i).parentFolderKey ?? ''));
	const items: INodeExecutionData[] = [];
	for await (const page of listPages(ctx.client, { bucket, prefix: parent, delimiter: '/', abortSignal: ctx.abortSignal })) {
		for (const prefix of page.commonPrefixes) {
			items.push({ json: { prefix, name: prefix.slice(parent.length).replace(/\/$/, '') } });
			if (limit !== undefined && items.length >= limit) return items;
		}
	}
	return items;
}
