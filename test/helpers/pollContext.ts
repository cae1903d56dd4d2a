/**
 * A fake of n8n's IPollFunctions for the S3 Storage Trigger, faithful where the node can observe
 * it: parameters with the description's defaults (NodeHelpers.getNodeParameters, as n8n applies
 * them), resource-locator values with extractValue, the credential, `getMode()` ('trigger' or
 * 'manual'), binary data in memory or filesystem mode (context.ts's prepareBinaryData), and the
 * workflow's static data.
 *
 * Static data lives in a `TriggerHarness` across polls and goes through JSON between them, as
 * n8n stores it in its database (so a poll never sees objects a real n8n would not give back).
 * Like n8n (packages/core ... active-workflows / workflow-execute-additional-data), the harness
 * keeps a poll's changes only when the poll emitted, unless `saveAlways` is set: n8n saves a
 * trigger's static data after activation and when an execution starts, not after an empty poll.
 */
import {
	NodeHelpers,
	deepCopy,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IPollFunctions,
} from 'n8n-workflow';

import { S3StorageTrigger } from '../../nodes/S3StorageTrigger/S3StorageTrigger.node';
import { prepareBinaryData, type BinaryMode, type LogEntry } from './context';
import { testCredentials } from './s3';

export const trigger = new S3StorageTrigger();

export interface PollOptions {
	mode?: 'trigger' | 'manual';
	/** credential data (default testCredentials()) */
	credentials?: ICredentialDataDecryptedObject;
	binaryMode?: BinaryMode;
	/** the first poll after activation (n8n saves static data after it even when it emits nothing) */
	activation?: boolean;
}

export interface PollResult {
	items: INodeExecutionData[];
	/** null when the poll returned null */
	raw: INodeExecutionData[][] | null;
	logs: LogEntry[];
	/** the static data as the poll left it (whether or not the harness kept it) */
	staticDataAfter: IDataObject;
}

function extract(value: unknown): unknown {
	if (value && typeof value === 'object' && (value as { __rl?: boolean }).__rl) return (value as { value: unknown }).value;
	return value;
}

/** One trigger node in one workflow: its parameters and its stored static data. */
export class TriggerHarness {
	/** static data as n8n has it stored (JSON) */
	stored = '{}';
	polls = 0;

	/** with `live`, the one in-memory static data object n8n keeps while the workflow is active */
	private live?: IDataObject;

	constructor(
		public params: INodeParameters,
		private readonly saveAlways = false,
		/** polls share one static data object (as in a running n8n) instead of a fresh copy each */
		private readonly liveStaticData = false,
	) {}

	/** The stored trigger state (the node's static data), parsed. */
	get staticData(): IDataObject {
		return JSON.parse(this.stored) as IDataObject;
	}

	/** Runs one poll; throws what the node throws (static data then unchanged). */
	async poll(options: PollOptions = {}): Promise<PollResult> {
		const mode = options.mode ?? 'trigger';
		const resolved =
			NodeHelpers.getNodeParameters(trigger.description.properties, deepCopy(this.params), true, false, { typeVersion: 1 }, trigger.description) ?? {};
		const node: INode = {
			id: 'b0b1c2d3-0000-4000-8000-000000000002',
			name: 'S3 Storage Trigger',
			type: 'n8n-nodes-s3-storage.s3StorageTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: resolved,
			credentials: { s3StorageApi: { id: '1', name: 'S3 Storage account' } },
		};
		const staticData = this.liveStaticData ? (this.live ??= JSON.parse(this.stored) as IDataObject) : (JSON.parse(this.stored) as IDataObject);
		const logs: LogEntry[] = [];
		const log = (level: LogEntry['level']) => (message: string, meta?: unknown) => logs.push({ level, message, meta });
		const credentials = options.credentials ?? testCredentials();
		const ctx = {
			getNode: () => node,
			getMode: () => mode,
			getActivationMode: () => (options.activation ? 'activate' : 'init'),
			getNodeParameter(name: string, fallback?: unknown, opts?: { extractValue?: boolean }) {
				const value = name.split('.').reduce<unknown>((o, k) => (o as IDataObject | undefined)?.[k], resolved);
				if (value === undefined) return fallback;
				return opts?.extractValue ? extract(value) : deepCopy(value);
			},
			async getCredentials() {
				return credentials;
			},
			getWorkflowStaticData(type: string) {
				if (type !== 'node') throw new Error('the trigger uses node static data');
				return staticData;
			},
			logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), verbose: log('verbose') },
			helpers: {
				prepareBinaryData: async (data: Buffer, filePath?: string, mimeType?: string) =>
					await prepareBinaryData(data, filePath, mimeType, options.binaryMode ?? 'memory'),
			},
		} as unknown as IPollFunctions;

		const raw = await trigger.poll.call(ctx);
		this.polls++;
		const items = raw?.[0] ?? [];
		if (mode === 'trigger' && (items.length > 0 || options.activation || this.saveAlways)) {
			this.stored = JSON.stringify(staticData);
		}
		return { items, raw, logs, staticDataAfter: staticData };
	}
}

/** The `listRequests` a poll logged (ListObjectsV2 requests it sent). */
export function listRequests(result: PollResult): number {
	const entry = result.logs.find((l) => l.message.startsWith('S3 Storage Trigger:'));
	return Number((entry?.meta as { listRequests?: number } | undefined)?.listRequests ?? NaN);
}
