import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { copyFolder, folderCopyParameters } from './copy.operation';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = folderCopyParameters('move');

/**
 * Folder → Move: Folder → Copy, then deletes each source object whose copy succeeded (S3 API:
 * as Copy, plus DeleteObjects with up to 1000 keys a request, sent as copies complete). An
 * object whose copy failed is not deleted: it stays where it was and is listed in `errors`; an
 * object copied but whose delete failed is listed too (its copy exists). S3 has no rename.
 *
 * Output: { sourceBucket, sourceFolderKey, bucket, folderKey, copied, moved (objects deleted
 * from the source after their copy), errors: [{ key, code, message }] }
 * @throws as Folder → Copy
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	return [{ json: await copyFolder.call(this, ctx, true) }];
}
