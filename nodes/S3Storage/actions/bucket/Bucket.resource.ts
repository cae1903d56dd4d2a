import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { create, del as delete, get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['bucket'] } },
		default: 'getMany',
		options: [
			{ name: 'Create', value: 'create', description: 'Create a bucket', action: 'Create a bucket' },
			{ name: 'Delete', value: 'delete', description: 'Delete an empty bucket', action: 'Delete a bucket' },
			{ name: 'Get', value: 'get', description: 'Check whether a bucket exists and get its region', action: 'Get a bucket' },
			{ name: 'Get Many', value: 'getMany', description: 'List the buckets the credential can see', action: 'Get many buckets' },
		],
	},
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
];
