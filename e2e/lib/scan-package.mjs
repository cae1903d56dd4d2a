/*
 * Runs the checks of @n8n/scan-community-package (the gate n8n runs before it verifies a
 * community package) on a local package, with its own ESLint configuration (buildScanConfig, as
 * its analyzePackage uses it: inline eslint-disable comments do not count), on
 *   - the unpacked tarball: every .js/.json file (the compiled code and package.json), and
 *   - the source: package.json + nodes/ and credentials/ (SOURCE_FILE_PATTERNS: what its CLI lints
 *     in the provenance-attested GitHub checkout).
 *
 *   node e2e/lib/scan-package.mjs <scanner.mjs of @n8n/scan-community-package> <unpacked tarball dir> <source dir>
 *
 * Prints JSON: { tarball: [finding], source: [finding] }, finding = { file, line, rule, message,
 * disabledInline (the line before says `eslint-disable-next-line <rule> -- <why>`) }.
 * Its CLI cannot run here as it is: it reads https://registry.npmjs.org/ only, fails a package
 * without npm provenance (a package published from CI with `npm publish --provenance`) and
 * downloads the source from GitHub.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [scannerFile, tarballDir, sourceDir] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!scannerFile || !tarballDir || !sourceDir) {
	console.error('usage: node e2e/lib/scan-package.mjs <scanner.mjs> <unpacked tarball dir> <source dir>');
	process.exit(2);
}
const scanner = await import(pathToFileURL(scannerFile).href);
const req = createRequire(scannerFile);
const { ESLint } = req('eslint');
const glob = req('fast-glob');
const config = await scanner.buildScanConfig();

function disabledInline(file, line, rule) {
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	const before = lines[line - 2] ?? '';
	return new RegExp(`eslint-disable-next-line\\s+[^\\n]*${rule.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\n]*\\s--\\s\\S`).test(before);
}

async function lint(dir, patterns) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: config });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	return results.flatMap((r) =>
		r.messages
			.filter((m) => m.severity === 2)
			.map((m) => ({ file: path.relative(dir, r.filePath), line: m.line, rule: m.ruleId, message: m.message, disabledInline: !!m.ruleId && disabledInline(r.filePath, m.line, m.ruleId) })),
	);
}

const out = {
	tarball: await lint(tarballDir, ['**/*.js', '**/*.ts', '**/*.json']),
	source: await lint(sourceDir, scanner.SOURCE_FILE_PATTERNS),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
