/**
 * jest globalTeardown: stops the RGW started by globalSetup (scripts/rgw-down.sh, SIGKILL since its
 * data is thrown away), deletes its dir (kept with S3_TEST_KEEP_RGW_LOGS=1), the env file and the
 * fake context's binary-data dir.
 */
import * as fs from 'fs';

import { getRunState } from './globalSetup';
import { stopCluster } from './rgw';
import { ENV_FILE_VAR } from './shared';

export default async function globalTeardown(): Promise<void> {
	const state = getRunState();
	if (!state || state.stopped) return;
	state.stopped = true;
	try {
		if (state.rgwDir) {
			const keep = process.env.S3_TEST_KEEP_RGW_LOGS === '1';
			const down = await stopCluster(state.rgwDir, keep);
			if (down.code !== 0) {
				process.stderr.write(`[s3-test-teardown] rgw-down.sh exit ${down.code}:\n${down.stderr}\n`);
			}
			if (keep) process.stderr.write(`[s3-test-teardown] RGW logs kept in ${state.rgwDir}\n`);
		}
	} finally {
		fs.rmSync(state.envFile, { force: true });
		fs.rmSync(state.binaryDir, { recursive: true, force: true });
		delete process.env[ENV_FILE_VAR];
	}
}
