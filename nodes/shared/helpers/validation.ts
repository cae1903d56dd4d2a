import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

/**
 * Checks a bucket name against S3's naming rules (3–63 characters; lower-case letters, digits,
 * dots and hyphens; starts and ends with a letter or digit; no `..`; not an IP address).
 * With `strict` false (operations on existing buckets) only emptiness, slashes and length are
 * checked, so that legacy buckets with upper case or underscores keep working.
 *
 * @returns the trimmed name
 * @throws NodeOperationError naming `parameter` and the rule that failed
 */
export function validateBucketName(
	ctx: { getNode(): INode },
	name: unknown,
	itemIndex: number,
	parameter = 'Bucket Name',
	strict = false,
): string {
	const fail = (why: string): never => {
		throw new NodeOperationError(ctx.getNode(), `${parameter} "${String(name ?? '')}" is not valid: ${why}`, {
			itemIndex,
			description:
				'Bucket names have 3–63 characters: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.',
		});
	};
	if (typeof name !== 'string' || name.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), `${parameter} is empty: choose a bucket from the list or type its name`, {
			itemIndex,
		});
	}
	const n = name.trim();
	if (n.includes('/')) fail('it contains "/" (give the bucket name only; put folders in the key)');
	if (n.length > 255) fail('it is longer than 255 characters');
	if (!strict) return n;
	if (n.length < 3) fail('it has fewer than 3 characters');
	if (n.length > 63) fail('it has more than 63 characters');
	if (/[A-Z]/.test(n)) fail('it contains upper-case letters (use lower case)');
	if (!/^[a-z0-9.-]+$/.test(n)) fail('it contains characters other than lower-case letters, digits, dots and hyphens');
	if (!/^[a-z0-9].*[a-z0-9]$/.test(n)) fail('it must start and end with a letter or digit');
	if (n.includes('..')) fail('it contains two dots in a row');
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(n)) fail('it is shaped like an IP address');
	return n;
}

/**
 * Checks an object key: not empty, at most 1024 bytes in UTF-8 (S3's limit).
 * The key is used as given (no slash added or removed).
 *
 * @throws NodeOperationError naming `parameter`
 */
export function validateKey(ctx: IExecuteFunctions, key: unknown, itemIndex: number, parameter = 'Key'): string {
	if (typeof key !== 'string' || key === '') {
		throw new NodeOperationError(ctx.getNode(), `${parameter} is empty: give the object key, e.g. "reports/2024/summary.csv"`, {
			itemIndex,
		});
	}
	const bytes = Buffer.byteLength(key, 'utf8');
	if (bytes > 1024) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${parameter} is ${bytes} bytes long in UTF-8; S3 allows at most 1024: shorten the key`,
			{ itemIndex },
		);
	}
	return key;
}

/**
 * Checks a presigned URL lifetime in seconds: a whole number from 1 to 604800 (7 days, the
 * SigV4 maximum).
 *
 * @throws NodeOperationError naming `parameter`
 */
export function validateExpiresIn(ctx: IExecuteFunctions, value: unknown, itemIndex: number, parameter = 'Expires In'): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 604800) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${parameter} must be a whole number of seconds from 1 to 604800 (7 days); got ${JSON.stringify(value)}`,
			{ itemIndex },
		);
	}
	return n;
}

/**
 * Checks an HTTP byte range such as `bytes=0-99`, `bytes=100-` or `bytes=-500`.
 *
 * @throws NodeOperationError naming the "Range" option
 */
export function validateRange(ctx: IExecuteFunctions, value: string, itemIndex: number): string {
	const r = value.trim();
	const m = /^bytes=(\d*)-(\d*)$/.exec(r);
	if (!m || (m[1] === '' && m[2] === '') || (m[1] !== '' && m[2] !== '' && Number(m[1]) > Number(m[2]))) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Range "${value}" is not a valid byte range: use the HTTP form "bytes=START-END" (e.g. bytes=0-99), "bytes=START-" or "bytes=-LAST"`,
			{ itemIndex },
		);
	}
	return r;
}

/**
 * Checks user metadata: names must be HTTP header tokens, values printable ASCII (HTTP
 * headers cannot carry other characters; S3 would reject or mangle them).
 *
 * @returns the metadata with lower-cased names
 * @throws NodeOperationError naming the "Metadata" option and the offending entry
 */
export function validateMetadata(
	ctx: IExecuteFunctions,
	metadata: Record<string, unknown>,
	itemIndex: number,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [rawName, rawValue] of Object.entries(metadata)) {
		const name = rawName.trim().toLowerCase().replace(/^x-amz-meta-/, '');
		const value = rawValue === null || rawValue === undefined ? '' : String(rawValue);
		if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Metadata name "${rawName}" cannot be sent as an HTTP header: use letters, digits and hyphens only`,
				{ itemIndex },
			);
		}
		if (!/^[\x20-\x7e\t]*$/.test(value)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Metadata value of "${name}" contains characters HTTP headers cannot carry (non-ASCII or control characters): encode it first, e.g. with encodeURIComponent()`,
				{ itemIndex },
			);
		}
		out[name] = value;
	}
	return out;
}

/** Removes the quotes S3 puts around ETags (`"abc"` → `abc`); undefined for an empty ETag. */
export function normalizeEtag(etag: string | undefined): string | undefined {
	if (!etag) return undefined;
	const e = etag.replace(/^W\//, '').replace(/^"+|"+$/g, '').replace(/&quot;/g, '');
	return e || undefined;
}

/** Adds a trailing slash to a folder key when missing; "" and "/" stay the bucket root (""). */
export function normalizeFolderKey(folderKey: string): string {
	const k = folderKey.trim();
	if (k === '' || k === '/') return '';
	return k.endsWith('/') ? k : `${k}/`;
}
