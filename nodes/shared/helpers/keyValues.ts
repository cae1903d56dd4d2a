/**
 * Reads a name/value option that may come in three shapes:
 * - n8n's fixedCollection `{ <group>: [{ key|name, value }, ...] }` (set in the editor),
 * - a plain object `{ name: value }` (from an expression),
 * - a JSON string of such an object.
 * Returns a plain object; an empty or missing option gives {}.
 */
export function keyValuePairs(option: unknown, group: string, label = 'This option'): Record<string, unknown> {
	let value = option;
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return {};
		try {
			value = JSON.parse(text);
		} catch {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a pure helper without node context; router.ts wraps this error in a NodeOperationError (with the item index) via toNodeError
			throw new Error(`${label} must be a JSON object such as {"name": "value"}; got ${JSON.stringify(text.slice(0, 40))}`);
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
	const obj = value as Record<string, unknown>;
	const rows = obj[group];
	if (Array.isArray(rows)) {
		const out: Record<string, unknown> = {};
		for (const row of rows as Array<Record<string, unknown>>) {
			const name = String(row.key ?? row.name ?? '').trim();
			if (name) out[name] = row.value;
		}
		return out;
	}
	return obj;
}
