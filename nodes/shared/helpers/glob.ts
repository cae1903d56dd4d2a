import picomatch from 'picomatch';

/** Tests one object key against a compiled pattern. */
export type KeyMatcher = (key: string) => boolean;

/**
 * Compiles a glob pattern on object keys (picomatch, bash-style globbing), shared by the action
 * node (Folder → Download, option `keyPattern`) and the trigger node (option `keyPattern`) so a
 * pattern means the same in both.
 *
 * The rule, in short:
 * - the pattern is matched against the WHOLE key (e.g. `reports/2024/q1/sales.csv`), not the
 *   part under the folder or prefix;
 * - `*` and `?` never cross a `/`; `**` crosses any number of folders (`invoices/**\/*.pdf`
 *   matches `invoices/a.pdf` and `invoices/2024/05/b.pdf`);
 * - a pattern WITHOUT a `/` is matched against the key's last segment (its file name), so
 *   `*.csv` matches `a.csv` and `reports/2024/a.csv` alike;
 * - `{a,b}`, `[abc]`, `!(x)` and the other bash extglobs work; a leading `!` negates the whole
 *   pattern (`!*.tmp`: everything but .tmp files);
 * - S3 keys have no hidden files: `*` also matches names that start with a dot;
 * - case-sensitive (S3 keys are), unless `caseInsensitive` is set.
 *
 * An empty (or blank) pattern gives `undefined`: no filter.
 *
 * @param pattern the glob, e.g. `*.csv` or `invoices/**\/*.pdf` (trimmed)
 * @returns a function key → boolean, or undefined for an empty pattern
 * @throws Error (plain) when picomatch cannot compile the pattern; callers turn it into a
 *   NodeOperationError naming their parameter
 */
export function compileKeyPattern(pattern: string | undefined | null, { caseInsensitive = false }: { caseInsensitive?: boolean } = {}): KeyMatcher | undefined {
	const p = String(pattern ?? '').trim();
	if (!p) return undefined;
	const matcher = picomatch(p, { dot: true, basename: !p.replace(/^!/, '').includes('/'), nocase: caseInsensitive, strictBrackets: true });
	return (key: string) => matcher(key);
}
