/** merged over ./tsconfig.json (which builds the package); only what tests need differs */
const testTsconfig = {
	target: 'ES2022',
	module: 'commonjs',
	strict: true,
	esModuleInterop: true,
	types: ['jest', 'node'],
	incremental: false,
	declaration: false,
};

/**
 * Tests run the node against a real S3 server: a throw-away Ceph RADOS Gateway started once per
 * jest run by test/setup/globalSetup.ts (scripts/ensure-ceph.sh + scripts/rgw-up.sh) and stopped by
 * test/setup/globalTeardown.ts. Set S3_TEST_ENDPOINT (+ S3_TEST_ACCESS_KEY_ID,
 * S3_TEST_SECRET_ACCESS_KEY, S3_TEST_REGION, S3_TEST_FORCE_PATH_STYLE) to use another server instead.
 * `npm test` runs `jest --runInBand`.
 *
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/e2e/'],
	transform: {
		// test/setup runs before any test, in jest's main process: transpile only (ts-jest would
		// first spend seconds on a type-checking language service); tsc -p test checks their types
		'/test/setup/[^/]+\\.ts$': '<rootDir>/test/setup/transpile.js',
		'^.+\\.ts$': [
			'ts-jest',
			{
				tsconfig: testTsconfig,
			},
		],
	},
	globalSetup: '<rootDir>/test/setup/globalSetup.ts',
	globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/setup/afterEnv.ts'],
	testTimeout: 60000,
};
