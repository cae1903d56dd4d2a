import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getLifecycle from './getLifecycle.operation';
import * as getMany from './getMany.operation';
import * as setLifecycle from './setLifecycle.operation';

export { create, del as delete, get, getLifecycle, getMany, setLifecycle };

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
			{ name: 'Get Lifecycle', value: 'getLifecycle', description: 'Read the bucket\'s lifecycle rules (expiry, aborting stale multipart uploads)', action: 'Get the lifecycle rules of a bucket' },
			{ name: 'Get Many', value: 'getMany', description: 'List the buckets the credential can see', action: 'Get many buckets' },
			{ name: 'Set Lifecycle', value: 'setLifecycle', description: 'Replace the bucket\'s lifecycle rules: expire objects under a prefix, abort stale multipart uploads', action: 'Set the lifecycle rules of a bucket' },
		],
	},
	...create.description,
	...del.description,
	...get.description,
	...getLifecycle.description,
	...getMany.description,
	...setLifecycle.description,
];
