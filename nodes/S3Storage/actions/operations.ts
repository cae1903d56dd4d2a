import * as bucket from './bucket/Bucket.resource';
import * as folder from './folder/Folder.resource';
import * as object from './object/Object.resource';
import type { S3Operation } from './types';

/** Every operation by resource and operation name, as the router looks them up. */
export const operations: Record<string, Record<string, S3Operation>> = {
	bucket: {
		create: bucket.create,
		delete: bucket.delete,
		get: bucket.get,
		getMany: bucket.getMany,
		getLifecycle: bucket.getLifecycle,
		setLifecycle: bucket.setLifecycle,
	},
	object: {
		upload: object.upload,
		download: object.download,
		get: object.get,
		getMany: object.getMany,
		copy: object.copy,
		move: object.move,
		delete: object.delete,
		deleteMany: object.deleteMany,
		getPresignedUrl: object.getPresignedUrl,
	},
	folder: {
		create: folder.create,
		delete: folder.delete,
		getMany: folder.getMany,
		copy: folder.copy,
		move: folder.move,
		download: folder.download,
	},
};
