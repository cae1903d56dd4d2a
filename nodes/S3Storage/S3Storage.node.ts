import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as bucket from './actions/bucket/Bucket.resource';
import * as folder from './actions/folder/Folder.resource';
import * as object from './actions/object/Object.resource';
import { router } from './actions/router';
import { s3StorageApiTest } from '../shared/methods/credentialTest';
import { searchBuckets, searchKeys, searchSourceKeys } from '../shared/methods/listSearch';

/** The S3 Storage node: buckets, objects and folders on any S3-compatible object store. */
export class S3Storage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'S3 Storage',
		name: 's3Storage',
		icon: { light: 'file:s3storage.svg', dark: 'file:s3storage.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] + ($parameter["bucketName"] ? " · " + ($parameter["bucketName"].value || $parameter["bucketName"]) : "") }}',
		description:
			'Upload, download, list, copy, move and delete objects, folders and buckets on any S3-compatible storage (AWS S3, MinIO, Cloudflare R2, Wasabi, Spaces, B2, Ceph, ...), and create presigned URLs',
		defaults: { name: 'S3 Storage' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 's3StorageApi', required: true, testedBy: 's3StorageApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Bucket', value: 'bucket' },
					{ name: 'Object', value: 'object', description: 'An object (file) in a bucket' },
					{ name: 'Folder', value: 'folder', description: 'A key prefix ending with /' },
				],
				default: 'object',
			},
			...bucket.description,
			...object.description,
			...folder.description,
		],
	};

	methods = {
		listSearch: { searchBuckets, searchKeys, searchSourceKeys },
		credentialTest: { s3StorageApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
