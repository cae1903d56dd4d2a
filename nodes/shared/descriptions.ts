import type { INodeProperties } from 'n8n-workflow';

/**
 * A bucket picker (resource locator): a searchable list (the `searchBuckets` list search,
 * ListBuckets) or a typed name. Both nodes use it; their `methods.listSearch` must include
 * searchBuckets.
 */
export function bucketLocator(
	name = 'bucketName',
	displayName = 'Bucket Name',
	description = 'The name of the bucket, e.g. my-bucket (pick it from the list or type it)',
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchBuckets', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'my-bucket',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[^/\\s]{1,255}$',
							errorMessage: 'Give the bucket name only, without slashes or spaces',
						},
					},
				],
			},
		],
	};
}

/**
 * The Key Pattern option (a glob, matched by helpers/glob.ts) of Folder → Download and of the
 * trigger node.
 */
export const keyPatternOption: INodeProperties = {
	displayName: 'Key Pattern',
	name: 'keyPattern',
	type: 'string',
	default: '',
	placeholder: '*.csv',
	description:
		'Only objects whose key matches this glob. Without a "/" it matches the file name at any depth (*.csv); with one, the whole key (invoices/**/*.pdf). * and ? stay within a folder, ** crosses folders, {a,b} alternatives and [abc] work, a leading ! negates.',
};
