import type { INodeProperties } from 'n8n-workflow';
import * as copy from './copy.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';

export { copy, create, del as delete, download, getMany, move };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		default: 'getMany',
		options: [
			{ name: 'Copy', value: 'copy', description: 'Copy a folder and everything under it, server-side', action: 'Copy a folder' },
			{ name: 'Create', value: 'create', description: 'Create a folder (an empty object whose key ends with /)', action: 'Create a folder' },
			{ name: 'Delete', value: 'delete', description: 'Delete a folder and every object under it', action: 'Delete a folder' },
			{ name: 'Download', value: 'download', description: 'Download every file under a folder, one item each', action: 'Download a folder' },
			{ name: 'Get Many', value: 'getMany', description: 'List the folders directly under a parent folder', action: 'Get many folders' },
			{ name: 'Move', value: 'move', description: 'Move a folder and everything under it (copy, then delete what was copied)', action: 'Move a folder' },
		],
	},
	...copy.description,
	...create.description,
	...del.description,
	...download.description,
	...getMany.description,
	...move.description,
];
