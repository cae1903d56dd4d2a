/**
 * setupFiles module: runs before each test file; copies the S3_TEST_* settings written by
 * globalSetup into this test file's process.env.
 */
import * as fs from 'fs';

import { ENV_FILE_VAR, type TestEnv } from './shared';

const file = process.env[ENV_FILE_VAR];
if (!file) {
	throw new Error(
		`${ENV_FILE_VAR} is not set: run the tests through jest with jest.config.js (its globalSetup starts the S3 server)`,
	);
}
const env = JSON.parse(fs.readFileSync(file, 'utf8')) as TestEnv;
for (const [name, value] of Object.entries(env)) {
	if (typeof value === 'string') process.env[name] = value;
}

// the SDK warns once per process that releases from 2027 need Node 22; noise in test output
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
