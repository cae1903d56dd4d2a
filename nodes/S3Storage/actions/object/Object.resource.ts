import type { INodeProperties } from 'n8n-workflow';
import * as copy from './copy.operation';
import * as del from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getPresignedUrl from './getPresignedUrl.operation';
import * as move from './move.operation';
import * as upload from './upload.operation';

export { copy, del as delete, deleteMany, download, get, getMany, getPresignedUrl, move, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['object'] } },
		default: 'upload',
		options: [
			{ name: 'Copy', value: 'copy', description: 'Copy an object server-side to a new key, in the same or another bucket (any size: over 5 GiB in parts)', action: 'Copy an object' },
			{ name: 'Delete', value: 'delete', description: 'Delete one object by its key (a missing key is not an error)', action: 'Delete an object' },
			{ name: 'Delete Many', value: 'deleteMany', description: 'Delete many objects given as a list of keys, in batches of 1000', action: 'Delete many objects' },
			{ name: 'Download', value: 'download', description: 'Download an object\'s content as a file (binary), text, base64 or parsed JSON', action: 'Download an object' },
			{ name: 'Get', value: 'get', description: 'Get an object\'s size, content type, ETag, last modified time and metadata, without its content', action: 'Get object metadata' },
			{ name: 'Get Many', value: 'getMany', description: 'List the objects (key, size, last modified, ETag) in a bucket, optionally only those whose key starts with a prefix', action: 'Get many objects' },
			{ name: 'Get Presigned URL', value: 'getPresignedUrl', description: 'Create a temporary link that downloads (GET) or uploads (PUT) one object without credentials', action: 'Get a presigned URL' },
			{ name: 'Move', value: 'move', description: 'Move or rename an object (copy, then delete the source)', action: 'Move an object' },
			{ name: 'Upload', value: 'upload', description: 'Upload a file (binary data), text or base64 as an object under a key; large files go up in parts', action: 'Upload an object' },
		],
	},
	...copy.description,
	...del.description,
	...deleteMany.description,
	...download.description,
	...get.description,
	...getMany.description,
	...getPresignedUrl.description,
	...move.description,
	...upload.description,
];
