// ESLint flat config for the community node package. Modelled on the config that
// `@n8n/node-cli` generates (`configWithoutCloudSupport`), including the classic
// `eslint-plugin-n8n-nodes-base` rule sets for package.json, credentials and nodes.
// Left out from node-cli's config: eslint-plugin-import-x and its TypeScript resolver, whose
// native unrs-resolver bindings are not all on the registry here, so the lock file could not
// list them and `npm ci` refused it (tsc already reports unresolved imports).
//
// We use `recommendedWithoutN8nCloudSupport`: the node depends on the AWS SDK at run time,
// which the n8n Cloud variant (`recommended`: no-restricted-imports / no-restricted-globals)
// forbids. Every rule switched off below carries its reason.
import eslint from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { defineConfig, globalIgnores } from 'eslint/config';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

/** Rules of @n8n/eslint-plugin-community-nodes that do not fit this package (reasons inline). */
const communityNodesOverrides = {
	// The package is for self-hosted n8n and talks to S3 through the AWS SDK
	// (@aws-sdk/client-s3, lib-storage, s3-request-presigner) and mime-types: these are real
	// run-time dependencies and must be in "dependencies". The rule exists for n8n Cloud
	// verification, which this package does not target (hence the WithoutN8nCloudSupport config).
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
	// On, as in @n8n/scan-community-package (npm run test:install runs its rules): the one use of
	// `process` (the admin's opt-in for host identity) is explained where it is.
	'@n8n/community-nodes/no-restricted-globals': 'error',
};

export default defineConfig(
	globalIgnores([
		'dist/**',
		'**/node_modules/**',
		'coverage/**',
		// Owned by other work streams, not part of the published node; they have their own checks.
		'test/**',
		'e2e/**',
		'examples/**',
		'scripts/**',
		'bench/**',
		'docs/**',
		'.ci/**',
	]),

	// Root tooling files (gulpfile.js, jest.config.js) are CommonJS run by Node.
	{
		files: ['**/*.js', '**/*.cjs'],
		extends: [eslint.configs.recommended],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
		},
	},

	// This config file itself (an ES module).
	{
		files: ['**/*.mjs'],
		extends: [eslint.configs.recommended],
	},

	// The package's TypeScript: nodes/ and credentials/.
	{
		files: ['**/*.ts'],
		extends: [
			eslint.configs.recommended,
			tseslint.configs.recommended,
			communityNodes,
		],
		rules: {
			...communityNodesOverrides,
			'no-console': 'error',
		},
	},

	{
		plugins: { 'n8n-nodes-base': n8nNodesPlugin },
	},

	// package.json: the community-nodes package rules and n8n-nodes-base "community" rules.
	{
		files: ['package.json'],
		extends: [communityNodes],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
		rules: {
			...n8nNodesPlugin.configs.community.rules,
			...communityNodesOverrides,
			// The package is published by "n8n-nodes-s3-storage contributors" and has no contact
			// email yet; we do not invent one. Add author.email before publishing and drop this line.
			'@n8n/community-nodes/valid-author': 'off',
		},
	},

	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesPlugin.configs.credentials.rules,
			// Written for n8n's own credentials (camelCase doc slug); a community credential links a
			// full URL, which @n8n/community-nodes/credential-documentation-url checks instead.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},

	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesPlugin.configs.nodes.rules,
			// Both expect the string "main"; n8n now uses the NodeConnectionTypes enum, which
			// @n8n/community-nodes/node-connection-type-literal requires (same choice as @n8n/node-cli).
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
);
