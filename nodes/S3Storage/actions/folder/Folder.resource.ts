import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';

export { create, del as delete, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		default: 'getMany',
		options: [
			{ name: 'Create', value: 'create', description: 'Create a folder (an empty object whose key ends with /)', action: 'Create a folder' },
			{ name: 'Delete', value: 'delete', description: 'Delete a folder and every object under it', action: 'Delete a folder' },
			{ name: 'Get Many', value: 'getMany', description: 'List the folders directly under a parent folder', action: 'Get many folders' },
		],
	},
	...create.description,
	...del.description,
	...getMany.description,
];
