import picomatch from 'picomatch';

/** A compiled key filter: true when the key matches. */
export type KeyMatcher = (key: string) => boolean;

/**
 * Compiles a glob on object keys (picomatch): `*` and `?` stay within one `/`-separated segment,
 * `**` crosses segments, `{a,b}` and `[abc]` work as in a shell, and names starting with a dot
 * match too. A pattern without a `/` is matched against the key's last segment (its file name),
 * so `*.csv` finds CSV files at any depth; a pattern with a `/` is matched against the whole key
 * (e.g. `invoices/** /*.pdf` without the space). An empty pattern matches every key.
 *
 * @param pattern the glob as the user typed it (surrounding spaces ignored)
 * @returns a matcher function; compile once, call per key
 * @throws Error from picomatch for a pattern it cannot compile (callers name the parameter)
 */
export function compileKeyGlob(pattern: string | undefined): KeyMatcher {
	const glob = (pattern ?? '').trim();
	if (!glob) return () => true;
	return picomatch(glob, { dot: true, basename: !glob.includes('/') });
}
