import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { s3StorageApiTest } from './methods/credentialTest';
import { searchBuckets, searchKeys, searchSourceKeys } from './methods/listSearch';

/** The S3 Storage node: buckets, objects and folders on any S3-compatible object store. */
export class S3Storage implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = {
		listSearch: { searchBuckets, searchKeys, searchSourceKeys },
		credentialTest: { s3StorageApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
