/**
 * Names shared by globalSetup (main jest process), globalTeardown and the per-test-file setup.
 */
import * as os from 'os';
import * as path from 'path';

/** process.env variable (main process) holding the path of the JSON file with the test env. */
export const ENV_FILE_VAR = 'N8N_S3_STORAGE_TEST_ENV_FILE';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const SCRIPTS_DIR = path.join(PROJECT_ROOT, 'scripts');

/** Everything one jest run creates under os.tmpdir() is named `<prefix><pid of the jest process>`. */
export const RGW_DIR_PREFIX = 'n8n-s3-storage-test-rgw-';
export const ENV_FILE_PREFIX = 'n8n-s3-storage-test-env-';
export const BINARY_DIR_PREFIX = 'n8n-s3-storage-test-binary-';

export const rgwDirFor = (pid: number) => path.join(os.tmpdir(), `${RGW_DIR_PREFIX}${pid}`);
export const envFileFor = (pid: number) => path.join(os.tmpdir(), `${ENV_FILE_PREFIX}${pid}.json`);
export const binaryDirFor = (pid: number) => path.join(os.tmpdir(), `${BINARY_DIR_PREFIX}${pid}`);

/** What test files find in process.env (written by globalSetup, loaded by test/setup/env.ts). */
export interface TestEnv {
	S3_TEST_ENDPOINT: string;
	S3_TEST_ACCESS_KEY_ID: string;
	S3_TEST_SECRET_ACCESS_KEY: string;
	S3_TEST_REGION: string;
	/** 'true' or 'false' */
	S3_TEST_FORCE_PATH_STYLE: string;
	/** 'ceph-rgw' when this run started its own RGW, 'external' when S3_TEST_ENDPOINT was given */
	S3_TEST_SERVER: 'ceph-rgw' | 'external';
	/** root folder for the fake context's filesystem-mode binary data */
	S3_TEST_BINARY_DIR: string;
	/** state/log folder of the RGW (only with S3_TEST_SERVER=ceph-rgw) */
	S3_TEST_RGW_DIR?: string;
}
