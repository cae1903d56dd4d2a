/**
 * setupFilesAfterEnv module: after each test file, delete the buckets it made with uniqueBucket()
 * (or registered with trackBucket()), close the raw S3 clients and delete its binary-data files.
 */
import { cleanupBinaryStorage } from '../helpers/context';
import { cleanupTrackedBuckets, destroyRawClients } from '../helpers/s3';

afterAll(async () => {
	try {
		await cleanupTrackedBuckets();
	} finally {
		destroyRawClients();
		await cleanupBinaryStorage();
	}
});
