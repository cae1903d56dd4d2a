import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { readLimit } from '../../../shared/helpers/limits';
import { getOptions } from '../../../shared/helpers/params';
import { optionsCollection, returnAllAndLimit, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'getMany', returnAllAndLimit),
	optionsCollection('bucket', 'getMany', [
		{
			displayName: 'Name Contains',
			name: 'search',
			type: 'string',
			default: '',
			description: 'Only buckets whose name contains this text (case-insensitive)',
		},
	]),
];

/**
 * Get Many: lists the buckets the keys can see (S3 API: ListBuckets, following
 * ContinuationToken where the server pages). One item per bucket: { name, creationDate, region? }
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const limit = readLimit(this, i);
	const search = String(getOptions(this, i).search ?? '').toLowerCase();
	const items: INodeExecutionData[] = [];
	let token: string | undefined;
	do {
		const out = await ctx.client.send(new ListBucketsCommand({ ContinuationToken: token }), { abortSignal: ctx.abortSignal });
		for (const b of out.Buckets ?? []) {
			if (search && !(b.Name ?? '').toLowerCase().includes(search)) continue;
			const json: INodeExecutionData['json'] = {
				name: b.Name ?? '',
				creationDate: b.CreationDate ? b.CreationDate.toISOString() : null,
			};
			if (b.BucketRegion) json.region = b.BucketRegion;
			items.push({ json });
			if (limit !== undefined && items.length >= limit) return items;
		}
		token = out.ContinuationToken || undefined;
	} while (token);
	return items;
}
