/**
 * jest transform for test/setup/*.ts: TypeScript's transpileModule only (no type check). The
 * global setup/teardown run in jest's main process before any test; ts-jest would first build a
 * type-checking language service for them (~4 s here). They are type-checked with
 * `npx tsc -p test/tsconfig.json` instead.
 */
const crypto = require('crypto');
const ts = require('typescript');

module.exports = {
	process(sourceText, sourcePath) {
		const { outputText, sourceMapText } = ts.transpileModule(sourceText, {
			fileName: sourcePath,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
				sourceMap: true,
			},
		});
		return { code: outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: sourceMapText };
	},
	getCacheKey(sourceText, sourcePath) {
		return crypto
			.createHash('sha256')
			.update(ts.version)
			.update('\0')
			.update(sourcePath)
			.update('\0')
			.update(sourceText)
			.update('\0v1')
			.digest('hex');
	},
};
