/**
 * Runs the node once and keeps everything it produced, whether it succeeded or threw: output
 * items, the error, the fake context's log lines and the elapsed time. Used by the fault,
 * bad-input and TLS suites, and by the secrets suite, which re-runs their invocations through a
 * Recorder and scans everything for secrets.
 */
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import { createContext, loadCredentialType, type LogEntry, type RunOptions } from './context';
import { node } from './node';

/** The fields of a NodeApiError/NodeOperationError that tests read. */
export type NodeErrorLike = Error & {
	description?: string | null;
	httpCode?: string | null;
	context: Record<string, unknown>;
};

export interface Invocation {
	label: string;
	params: INodeParameters | INodeParameters[];
	credentials: ICredentialDataDecryptedObject | null | undefined;
	/** first output (empty when the node threw) */
	output: INodeExecutionData[];
	/** what execute() threw, if anything */
	error?: NodeErrorLike;
	logs: LogEntry[];
	ms: number;
}

/** Runs the node with the fake context (parameter and credential defaults applied as in n8n). */
export async function invoke(
	params: INodeParameters | INodeParameters[],
	options: Omit<RunOptions, 'params'> = {},
	label = '',
): Promise<Invocation> {
	const ctx = createContext({ ...options, params, nodeType: node, credentialType: options.credentialType ?? loadCredentialType() });
	const t0 = Date.now();
	const inv: Invocation = { label, params, credentials: options.credentials, output: [], logs: ctx.logs, ms: 0 };
	try {
		const result = (await node.execute!.call(ctx)) as INodeExecutionData[][] | null;
		inv.output = result?.[0] ?? [];
	} catch (error) {
		inv.error = error as NodeErrorLike;
	}
	inv.ms = Date.now() - t0;
	return inv;
}

/** The error of an invocation that must have failed (throws a readable error when it did not). */
export function failed(inv: Invocation): NodeErrorLike {
	if (!inv.error) {
		throw new Error(`expected ${inv.label || 'the node'} to fail, but it returned ${JSON.stringify(inv.output.map((o) => o.json)).slice(0, 500)}`);
	}
	return inv.error;
}

/** The output of an invocation that must have succeeded (rethrows its error otherwise). */
export function succeeded(inv: Invocation): INodeExecutionData[] {
	if (inv.error) throw inv.error;
	return inv.output;
}

export type ErrorClass = 'NodeOperationError' | 'NodeApiError';

/** Asserts the exact n8n error class (constructor name and instanceof). */
export function expectErrorClass(error: Error, cls: ErrorClass): void {
	expect(error.constructor.name).toBe(cls);
	expect(error).toBeInstanceOf(cls === 'NodeApiError' ? NodeApiError : NodeOperationError);
}

/** Collects invocations (and any other text) for a later scan. */
export class Recorder {
	readonly invocations: Invocation[] = [];
	/** console lines written while recording (the SDK logs warnings to the console) */
	readonly consoleLines: string[] = [];

	record(inv: Invocation): Invocation {
		this.invocations.push(inv);
		return inv;
	}
}

/**
 * Every string reachable from `value` (own properties, enumerable or not, including `message`,
 * `stack`, `cause`, nested objects and arrays), up to `depth` levels. Buffers are skipped.
 */
export function reachableStrings(value: unknown, depth = 8, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return [String(value)];
	if (!value || typeof value !== 'object' || depth < 0 || seen.has(value)) return [];
	if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return [];
	seen.add(value);
	const out: string[] = [];
	const names = new Set<string | symbol>(Reflect.ownKeys(value));
	if (value instanceof Error) for (const n of ['message', 'stack', 'cause', 'description']) names.add(n);
	for (const name of names) {
		let v: unknown;
		try {
			v = (value as Record<string | symbol, unknown>)[name];
		} catch {
			continue;
		}
		if (typeof v === 'function') continue;
		if (typeof name === 'string') out.push(name);
		out.push(...reachableStrings(v, depth - 1, seen));
	}
	return out;
}

/** Everything an invocation exposes: error (deeply), output items (JSON and binary metadata), logs. */
export function exposedText(inv: Invocation): Array<{ where: string; text: string }> {
	const out: Array<{ where: string; text: string }> = [];
	if (inv.error) {
		out.push({ where: 'error.message', text: inv.error.message });
		out.push({ where: 'error.description', text: String(inv.error.description ?? '') });
		for (const s of reachableStrings(inv.error)) out.push({ where: 'error (any property)', text: s });
		try {
			out.push({ where: 'error as JSON', text: JSON.stringify(inv.error) });
		} catch {
			// circular: reachableStrings covered it
		}
	}
	inv.output.forEach((item, i) => {
		out.push({ where: `output[${i}].json`, text: JSON.stringify(item.json) });
		if (item.binary) {
			const meta = Object.fromEntries(Object.entries(item.binary).map(([k, b]) => [k, { ...b, data: b.id ? b.data : '(bytes)' }]));
			out.push({ where: `output[${i}].binary`, text: JSON.stringify(meta) });
		}
	});
	inv.logs.forEach((l, i) => {
		out.push({ where: `log[${i}]`, text: `${l.level}: ${l.message} ${l.meta === undefined ? '' : JSON.stringify(l.meta)}` });
	});
	return out;
}
