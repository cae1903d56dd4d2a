/**
 * A fake of n8n's IExecuteFunctions, good enough to run the node's `execute()` and faithful to
 * n8n's semantics where the node can observe them (parameters, credentials, binary data in
 * memory and filesystem mode, continueOnFail, pairedItem helpers, cancellation).
 *
 * Sources mirrored (n8n-io/n8n, packages/core/src/...):
 *  - execution-engine/node-execution-context/node-execution-context.ts (_getNodeParameter)
 *  - execution-engine/node-execution-context/utils/extract-value.ts
 *  - execution-engine/node-execution-context/utils/binary-helper-functions.ts
 *    (assertBinaryData, getBinaryDataBuffer, prepareBinaryData)
 *  - binary-data/binary-data.service.ts + file-system.manager.ts ('filesystem-v2' ids, .metadata)
 *  - execution-engine/node-execution-context/utils/construct-execution-metadata.ts
 *  - cli credentials-helper.ts (applyDefaultsAndOverwrites: NodeHelpers.getNodeParameters)
 *  - n8n-workflow Workflow constructor (node parameters get their defaults the same way)
 */
import { randomUUID } from 'crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'fs';
import { IncomingMessage } from 'http';
import { extension, lookup } from 'mime-types';
import {
	ApplicationError,
	NodeHelpers,
	NodeOperationError,
	deepCopy,
	fileTypeFromMimeType,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IGetNodeParameterOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type IPairedItemData,
	type NodeExecutionWithMetadata,
} from 'n8n-workflow';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';

import { testCredentials } from './s3';

export const NODE_TYPE = 'n8n-nodes-s3-storage.s3Storage';
export const CREDENTIAL_TYPE = 's3StorageApi';

export type BinaryMode = 'memory' | 'filesystem';

/* ------------------------------------------------------------------------------------------ */
/* Binary data storage (n8n-core's BinaryDataService + FileSystemManager, 'filesystem-v2')     */
/* ------------------------------------------------------------------------------------------ */

const FS_MODE = 'filesystem-v2';
const WORKFLOW_ID = 'test-workflow';
let storageRoot: string | undefined;
let executionCounter = 0;

/** Root folder of this test file's filesystem-mode binary data (removed after the test file). */
export function binaryStorageDir(): string {
	if (!storageRoot) {
		const base = process.env.S3_TEST_BINARY_DIR || path.join(os.tmpdir(), `n8n-s3-storage-test-binary-${process.pid}`);
		storageRoot = path.join(base, `${process.pid}-${randomUUID().slice(0, 8)}`);
	}
	return storageRoot;
}

export async function cleanupBinaryStorage(): Promise<void> {
	if (storageRoot) await fsp.rm(storageRoot, { recursive: true, force: true });
	storageRoot = undefined;
}

function resolveFileId(fileId: string): string {
	const root = binaryStorageDir();
	const full = path.join(root, fileId);
	if (path.relative(root, full).startsWith('..')) {
		throw new ApplicationError('Path not allowed', { extra: { filePath: full } }); // DisallowedFilepathError
	}
	return full;
}

/** 'filesystem-v2:workflows/.../binary_data/<uuid>' → absolute path; other modes: n8n's error. */
function pathOfBinaryId(binaryDataId: string): string {
	const [mode, fileId] = binaryDataId.split(':');
	if (mode !== FS_MODE && mode !== 'filesystem') {
		throw new ApplicationError('No binary data manager found for', { extra: { mode } }); // InvalidManagerError
	}
	return resolveFileId(fileId);
}

async function assertFileExists(filePath: string): Promise<void> {
	try {
		await fsp.access(filePath);
	} catch {
		throw new ApplicationError('File not found', { extra: { filePath } }); // FileNotFoundError
	}
}

/** pretty-bytes 5 (what n8n-core uses for `fileSize`): 1000-based, 3 significant digits. */
export function prettyBytes(n: number): string {
	const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
	const prefix = n < 0 ? '-' : '';
	let v = Math.abs(n);
	if (v < 1) return `${prefix}${v} ${UNITS[0]}`;
	const exponent = Math.min(Math.floor(Math.log10(v) / 3), UNITS.length - 1);
	v /= 1000 ** exponent;
	return `${prefix}${Number(v.toPrecision(3))} ${UNITS[exponent]}`;
}

/**
 * The few signatures of the `file-type` package that matter here (n8n-core sniffs a Buffer with
 * FileType.fromBuffer when neither a MIME type nor a file name with a known extension is given).
 */
function sniffFileType(buf: Buffer): { mime: string; ext: string } | undefined {
	const starts = (bytes: number[], offset = 0) => bytes.every((b, i) => buf[offset + i] === b);
	const ascii = (s: string, offset = 0) => buf.length >= offset + s.length && buf.toString('latin1', offset, offset + s.length) === s;
	if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
	if (starts([0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', ext: 'jpg' };
	if (ascii('GIF87a') || ascii('GIF89a')) return { mime: 'image/gif', ext: 'gif' };
	if (ascii('RIFF') && ascii('WEBP', 8)) return { mime: 'image/webp', ext: 'webp' };
	if (ascii('%PDF')) return { mime: 'application/pdf', ext: 'pdf' };
	if (starts([0x1f, 0x8b, 0x08])) return { mime: 'application/gzip', ext: 'gz' };
	if (starts([0x50, 0x4b, 0x03, 0x04])) return { mime: 'application/zip', ext: 'zip' };
	return undefined;
}

async function streamToBuffer(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}

export async function binaryToBuffer(body: Buffer | Readable): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	return await streamToBuffer(body);
}

/** BinaryDataService.store: memory mode keeps base64 in `data`; filesystem mode streams to a file. */
async function storeBinary(
	mode: BinaryMode,
	executionId: string,
	bufferOrStream: Buffer | Readable,
	binaryData: IBinaryData,
): Promise<IBinaryData> {
	if (mode === 'memory') {
		const buffer = await binaryToBuffer(bufferOrStream);
		binaryData.data = buffer.toString('base64');
		binaryData.fileSize = prettyBytes(buffer.length);
		binaryData.bytes = buffer.length;
		return binaryData;
	}
	const fileId = `workflows/${WORKFLOW_ID}/executions/${executionId}/binary_data/${randomUUID()}`;
	const filePath = resolveFileId(fileId);
	await fsp.mkdir(path.dirname(filePath), { recursive: true });
	if (Buffer.isBuffer(bufferOrStream)) {
		await fsp.writeFile(filePath, bufferOrStream);
	} else {
		await pipeline(bufferOrStream, createWriteStream(filePath)); // chunk by chunk, never whole
	}
	const fileSize = (await fsp.stat(filePath)).size;
	await fsp.writeFile(
		`${filePath}.metadata`,
		JSON.stringify({ mimeType: binaryData.mimeType, fileName: binaryData.fileName, fileSize }),
		'utf-8',
	);
	binaryData.id = `${FS_MODE}:${fileId}`;
	binaryData.fileSize = prettyBytes(fileSize);
	binaryData.bytes = fileSize;
	binaryData.data = FS_MODE; // n8n clears the data: it is the mode name
	return binaryData;
}

type N8nIncomingMessage = IncomingMessage & {
	contentType?: string;
	contentDisposition?: { filename?: string };
	responseUrl?: string;
	req?: { path?: string };
};

/** n8n-core's prepareBinaryData, including its mime-type and file-name guessing. */
export async function prepareBinaryData(
	binaryData: Buffer | Readable,
	filePath?: string,
	mimeType?: string,
	mode: BinaryMode = 'memory',
	executionId = `${++executionCounter}`,
): Promise<IBinaryData> {
	let fileExtension: string | undefined;
	if (binaryData instanceof IncomingMessage) {
		const msg = binaryData as N8nIncomingMessage;
		if (!filePath) {
			try {
				const { responseUrl } = msg;
				filePath =
					msg.contentDisposition?.filename ??
					((responseUrl && new URL(responseUrl).pathname) ?? msg.req?.path)?.slice(1);
			} catch {}
		}
		if (!mimeType) mimeType = msg.contentType;
	}

	if (!mimeType) {
		if (filePath) {
			const mimeTypeLookup = lookup(filePath);
			if (mimeTypeLookup) mimeType = mimeTypeLookup;
		}
		if (!mimeType) {
			if (Buffer.isBuffer(binaryData)) {
				const fileTypeData = sniffFileType(binaryData);
				if (fileTypeData) {
					mimeType = fileTypeData.mime;
					fileExtension = fileTypeData.ext;
				}
			} else if (binaryData instanceof IncomingMessage) {
				mimeType = binaryData.headers['content-type'];
			}
		}
	}

	if (!fileExtension && mimeType) fileExtension = extension(mimeType) || undefined;
	if (!mimeType) mimeType = 'text/plain'; // n8n's fallback

	const returnData: IBinaryData = {
		mimeType,
		fileType: fileTypeFromMimeType(mimeType),
		fileExtension,
		data: '',
	};
	if (filePath) {
		const filePathParts = path.parse(filePath);
		if (filePathParts.dir !== '') returnData.directory = filePathParts.dir;
		returnData.fileName = filePathParts.base;
		fileExtension = filePathParts.ext.slice(1);
		if (fileExtension) returnData.fileExtension = fileExtension;
	}
	return await storeBinary(mode, executionId, binaryData, returnData);
}

/** BinaryDataService.getAsBuffer */
export async function getBinaryAsBuffer(binaryData: IBinaryData): Promise<Buffer> {
	if (binaryData.id) {
		const filePath = pathOfBinaryId(binaryData.id);
		await assertFileExists(filePath);
		return await fsp.readFile(filePath);
	}
	return Buffer.from(binaryData.data, 'base64');
}

/** The bytes of an IBinaryData (base64 `data` in memory mode, the file in filesystem mode). */
export async function readBinary(binaryData: IBinaryData | undefined): Promise<Buffer> {
	if (!binaryData) throw new Error('readBinary(): no binary data given');
	return await getBinaryAsBuffer(binaryData);
}

/** An input item carrying `buffer` (or a stream) as binary property `propertyName` (default "data"). */
export async function binaryItem(
	data: Buffer | Readable | string,
	options: {
		fileName?: string;
		mimeType?: string;
		mode?: BinaryMode;
		propertyName?: string;
		json?: IDataObject;
	} = {},
): Promise<INodeExecutionData> {
	const body = typeof data === 'string' ? Buffer.from(data) : data;
	const binary = await prepareBinaryData(body, options.fileName, options.mimeType, options.mode ?? 'memory');
	return { json: options.json ?? {}, binary: { [options.propertyName ?? 'data']: binary } };
}

/* ------------------------------------------------------------------------------------------ */
/* Parameters                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** lodash.get for 'a.b', 'a[0].b' */
function getPath(obj: unknown, dotted: string, fallback: unknown): unknown {
	const parts = dotted.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
	let cur: unknown = obj;
	for (const p of parts) {
		if (cur === null || cur === undefined || typeof cur !== 'object') return fallback;
		cur = (cur as Record<string, unknown>)[p];
	}
	return cur === undefined ? fallback : cur;
}

/**
 * Values are given already resolved. A string starting with "=" is an n8n expression: without
 * "{{" it is literal text (what n8n would return); with "{{" this fake refuses it.
 */
function resolveExpressions(value: unknown, parameterName: string): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		if (value.includes('{{')) {
			throw new ApplicationError(
				`fake context: parameter "${parameterName}" holds an expression (${value}); pass the resolved value instead`,
			);
		}
		return value.slice(1);
	}
	if (Array.isArray(value)) return value.map((v) => resolveExpressions(v, parameterName));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveExpressions(v, parameterName)]),
		);
	}
	return value;
}

function findProperty(
	parameterName: string,
	nodeType: INodeType,
	node: INode,
	parameters: INodeParameters,
): INodeProperties | undefined {
	const candidates = nodeType.description.properties.filter((p) => p.name === parameterName);
	return candidates.find((p) => NodeHelpers.displayParameter(parameters, p, node, nodeType.description, parameters)) ?? candidates[0];
}

/** extract-value.ts: a resource locator `{ __rl, mode, value }` gives its value (regex modes applied). */
function extractValue(
	value: unknown,
	parameterName: string,
	node: INode,
	parameters: INodeParameters,
	nodeType?: INodeType,
): unknown {
	const isRlc = typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;
	if (!nodeType) return isRlc ? (value as { value: unknown }).value : value;

	// with the node's description, like n8n: only resourceLocator properties are unwrapped
	if (parameterName.includes('.')) return isRlc ? (value as { value: unknown }).value : value;
	const property = findProperty(parameterName, nodeType, node, parameters);
	if (!property) throw new NodeOperationError(node, new ApplicationError('Could not find property', { extra: { parameterName } }));
	if (property.type !== 'resourceLocator' || !isRlc) return value;
	const rl = value as { mode: string; value: unknown };
	const modeProp = (property.modes ?? []).find((m) => m.name === rl.mode);
	if (!modeProp?.extractValue) return rl.value;
	if (typeof rl.value !== 'string') {
		throw new NodeOperationError(node, "ERROR: This parameter's value is invalid. Please enter a valid mode.");
	}
	const extracted = new RegExp(modeProp.extractValue.regex).exec(rl.value);
	if (!extracted) {
		throw new NodeOperationError(
			node,
			`ERROR: ${property.displayName} parameter's value is invalid. This is likely because the URL entered is incorrect`,
		);
	}
	return extracted[1];
}

/* ------------------------------------------------------------------------------------------ */
/* The context                                                                                 */
/* ------------------------------------------------------------------------------------------ */

export interface LogEntry {
	level: 'debug' | 'info' | 'warn' | 'error' | 'verbose';
	message: string;
	meta?: unknown;
}

export interface ContextOptions {
	/** input items; default `[{ json: {} }]` */
	items?: INodeExecutionData[];
	/** node parameters: one object for every item, or one object per item */
	params: INodeParameters | INodeParameters[];
	/** `s3StorageApi` credential data; default testCredentials(); null = no credential set */
	credentials?: ICredentialDataDecryptedObject | null;
	continueOnFail?: boolean;
	/** how prepareBinaryData stores data (n8n's default mode is memory) */
	binaryMode?: BinaryMode;
	nodeName?: string;
	/** abort signal returned by getExecutionCancelSignal() (cancel the "execution" with its controller) */
	abortSignal?: AbortSignal;
	/**
	 * The node type. With it, parameters get the description's defaults and lose the parameters
	 * not displayed for the chosen resource/operation, exactly as n8n does before execute()
	 * (disable with applyDefaults: false); extractValue follows the property's modes.
	 */
	nodeType?: INodeType;
	/** The credential type. With it, credential data gets defaults / loses hidden fields like n8n. */
	credentialType?: ICredentialType;
	applyDefaults?: boolean;
}

export type FakeExecuteFunctions = IExecuteFunctions & {
	/** everything logged through this.logger */
	logs: LogEntry[];
	/** logs as "level: message" lines */
	readonly logLines: string[];
	/** the parameters after defaults, per item */
	resolvedParams: INodeParameters[];
	binaryMode: BinaryMode;
};

function withDefaults(params: INodeParameters, nodeType: INodeType, node: Pick<INode, 'typeVersion'>): INodeParameters {
	return (
		NodeHelpers.getNodeParameters(nodeType.description.properties, params, true, false, node, nodeType.description) ?? {}
	);
}

/**
 * The node's saved parameters (what `getNode().parameters` returns) for per-item parameter sets:
 * in n8n only an expression gives items different values, so a parameter that differs between
 * the sets is saved as an expression here; the others as the first set has them.
 */
function savedParameters(perItem: INodeParameters[]): INodeParameters {
	const saved = deepCopy(perItem[0]);
	for (const name of new Set(perItem.flatMap((p) => Object.keys(p)))) {
		const first = JSON.stringify(perItem[0][name]);
		if (perItem.some((p) => JSON.stringify(p[name]) !== first)) saved[name] = '={{ $json.differsPerItem }}';
	}
	return saved;
}

export function createContext(options: ContextOptions): FakeExecuteFunctions {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const binaryMode: BinaryMode = options.binaryMode ?? 'memory';
	const executionId = `${++executionCounter}`;
	const credentialsData =
		options.credentials === undefined ? testCredentials() : options.credentials;
	const nodeType = options.nodeType;
	const applyDefaults = options.applyDefaults ?? nodeType !== undefined;
	if (applyDefaults && !nodeType) throw new Error('createContext: applyDefaults needs nodeType');

	const typeVersion = 1;
	const rawParams = Array.isArray(options.params) ? options.params : [options.params];
	if (Array.isArray(options.params) && options.params.length !== items.length) {
		throw new Error(`createContext: ${options.params.length} parameter sets for ${items.length} items`);
	}
	const resolvedParams = rawParams.map((p) =>
		applyDefaults ? withDefaults(deepCopy(p), nodeType!, { typeVersion }) : deepCopy(p),
	);

	const node: INode = {
		id: 'a0b1c2d3-0000-4000-8000-000000000001',
		name: options.nodeName ?? 'S3 Storage',
		type: NODE_TYPE,
		typeVersion,
		position: [0, 0],
		parameters: savedParameters(resolvedParams),
		credentials: credentialsData ? { [CREDENTIAL_TYPE]: { id: '1', name: 'S3 Storage account' } } : undefined,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};

	const paramsFor = (itemIndex: number): INodeParameters => {
		if (!Array.isArray(options.params)) return resolvedParams[0];
		const p = resolvedParams[itemIndex];
		if (!p) throw new Error(`getNodeParameter: no parameters for item ${itemIndex}`);
		return p;
	};

	const logs: LogEntry[] = [];
	const logAt =
		(level: LogEntry['level']) =>
		(message: string, meta?: unknown): void => {
			logs.push({ level, message, meta });
		};

	const inputItem = (itemIndex: number): INodeExecutionData => {
		const item = items[itemIndex];
		if (!item) throw new ApplicationError(`fake context: no input item ${itemIndex}`);
		return item;
	};

	const isBinaryData = (obj: unknown): obj is IBinaryData =>
		typeof obj === 'object' && obj !== null && 'data' in obj && 'mimeType' in obj;

	const assertBinaryData = (itemIndex: number, parameterData: string | IBinaryData): IBinaryData => {
		if (isBinaryData(parameterData)) return parameterData;
		if (typeof parameterData !== 'string') {
			throw new NodeOperationError(node, 'Provided parameter is not a string or binary data object.', {
				itemIndex,
				description:
					'Specify the property name of the binary data in input item or use an expression to access the binary data in previous nodes, e.g. "{{ $(_target_node_).item.binary[_binary_property_name_] }}"',
			});
		}
		const binaryKeyData = inputItem(itemIndex).binary;
		if (binaryKeyData === undefined) {
			throw new NodeOperationError(
				node,
				`This operation expects the node's input data to contain a binary file '${parameterData}', but none was found [item ${itemIndex}]`,
				{ itemIndex, description: 'Make sure that the previous node outputs a binary file' },
			);
		}
		const binaryPropertyData = binaryKeyData[parameterData];
		if (binaryPropertyData === undefined) {
			throw new NodeOperationError(node, `The item has no binary field '${parameterData}' [item ${itemIndex}]`, {
				itemIndex,
				description:
					'Check that the parameter where you specified the input binary field name is correct, and that it matches a field in the binary input',
			});
		}
		return binaryPropertyData;
	};

	const helpers = {
		returnJsonArray(jsonData: IDataObject | IDataObject[]): INodeExecutionData[] {
			const list = Array.isArray(jsonData) ? jsonData : [jsonData];
			return list.map((data) =>
				data?.json ? ({ ...data, json: data.json } as INodeExecutionData) : { json: data },
			);
		},
		constructExecutionMetaData(
			inputData: INodeExecutionData[],
			opts: { itemData: IPairedItemData | IPairedItemData[] },
		): NodeExecutionWithMetadata[] {
			return inputData.map((data) => {
				const { json, ...rest } = data;
				return { json, pairedItem: opts.itemData, ...rest } as NodeExecutionWithMetadata;
			});
		},
		normalizeItems(input: INodeExecutionData | INodeExecutionData[]): INodeExecutionData[] {
			if (typeof input === 'object' && !Array.isArray(input)) {
				return input.json ? [input] : [{ json: input as unknown as IDataObject }];
			}
			if (input.every((i) => typeof i === 'object' && 'json' in i)) return input;
			if (input.some((i) => typeof i === 'object' && 'json' in i)) {
				throw new ApplicationError('Inconsistent item format');
			}
			return input.map((i) => ({ json: i as unknown as IDataObject }));
		},
		assertBinaryData,
		async getBinaryDataBuffer(itemIndex: number, parameterData: string | IBinaryData): Promise<Buffer> {
			let binaryData: IBinaryData;
			if (isBinaryData(parameterData)) binaryData = parameterData;
			else if (typeof parameterData === 'string') binaryData = inputItem(itemIndex).binary![parameterData];
			else throw new ApplicationError('Provided parameter is not a string or binary data object.');
			return await getBinaryAsBuffer(binaryData);
		},
		async getBinaryStream(binaryDataId: string, chunkSize?: number): Promise<Readable> {
			const filePath = pathOfBinaryId(binaryDataId);
			await assertFileExists(filePath);
			return createReadStream(filePath, { highWaterMark: chunkSize });
		},
		async getBinaryMetadata(binaryDataId: string) {
			const filePath = pathOfBinaryId(binaryDataId);
			return JSON.parse(await fsp.readFile(`${filePath}.metadata`, 'utf-8')) as {
				fileName?: string;
				mimeType?: string;
				fileSize: number;
			};
		},
		getBinaryPath(binaryDataId: string): string {
			return pathOfBinaryId(binaryDataId);
		},
		binaryToBuffer,
		async binaryToString(body: Buffer | Readable, encoding?: BufferEncoding): Promise<string> {
			let enc: string | undefined = encoding;
			if (!enc && body instanceof IncomingMessage) {
				enc = /charset=([^;]+)/i.exec(String(body.headers['content-type'] ?? ''))?.[1]?.trim();
			}
			const buffer = await binaryToBuffer(body);
			if (enc && Buffer.isEncoding(enc)) return buffer.toString(enc);
			return new TextDecoder(enc ?? 'utf-8').decode(buffer); // n8n: iconv.decode
		},
		async prepareBinaryData(data: Buffer | Readable, filePath?: string, mimeType?: string): Promise<IBinaryData> {
			return await prepareBinaryData(data, filePath, mimeType, binaryMode, executionId);
		},
		async setBinaryDataBuffer(data: IBinaryData, buffer: Buffer | Readable): Promise<IBinaryData> {
			return await storeBinary(binaryMode, executionId, buffer, data);
		},
		async copyBinaryFile(): Promise<never> {
			throw new ApplicationError('`copyBinaryFile` has been removed. Please upgrade this node.');
		},
		detectBinaryEncoding(): string {
			return 'UTF-8';
		},
	};

	const ctx = {
		logs,
		get logLines() {
			return logs.map((l) => `${l.level}: ${l.message}`);
		},
		resolvedParams,
		binaryMode,
		logger: {
			debug: logAt('debug'),
			info: logAt('info'),
			warn: logAt('warn'),
			error: logAt('error'),
			verbose: logAt('verbose'),
		},
		helpers,
		getInputData(inputIndex = 0): INodeExecutionData[] {
			if (inputIndex !== 0) throw new ApplicationError(`fake context: no input ${inputIndex}`);
			return items;
		},
		getNode(): INode {
			return deepCopy(node);
		},
		getNodeParameter(
			parameterName: string,
			itemIndex: number,
			fallbackValue?: unknown,
			opts?: IGetNodeParameterOptions,
		): unknown {
			const parameters = paramsFor(itemIndex ?? 0);
			const value = getPath(parameters, parameterName, fallbackValue);
			if (value === undefined) {
				throw new ApplicationError('Could not get parameter', { extra: { parameterName } });
			}
			if (opts?.rawExpressions) return value;
			let result = resolveExpressions(structuredClone(value), parameterName);
			if (opts?.extractValue) result = extractValue(result, parameterName, node, parameters, nodeType);
			return result;
		},
		async getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T> {
			const declared = nodeType ? (nodeType.description.credentials ?? []).map((c) => c.name) : [CREDENTIAL_TYPE];
			if (!declared.includes(type)) {
				throw new NodeOperationError(node, `Node type "${node.type}" does not have any credentials of type "${type}" defined`, {
					level: 'warning',
				});
			}
			if (!credentialsData) {
				throw new NodeOperationError(node, 'Node does not have any credentials set', { level: 'warning' });
			}
			let data = deepCopy(credentialsData);
			if (options.credentialType) {
				data = (NodeHelpers.getNodeParameters(
					options.credentialType.properties,
					data as INodeParameters,
					true,
					false,
					null,
					null,
				) ?? {}) as ICredentialDataDecryptedObject;
			}
			return data as T;
		},
		continueOnFail(): boolean {
			const onError = node.onError;
			if (onError === undefined) return node.continueOnFail ?? false;
			return ['continueRegularOutput', 'continueErrorOutput'].includes(onError);
		},
		getExecutionCancelSignal(): AbortSignal | undefined {
			return options.abortSignal;
		},
		onExecutionCancellation(handler: () => unknown): void {
			options.abortSignal?.addEventListener('abort', () => void handler(), { once: true });
		},
		getMode() {
			return 'manual' as const;
		},
		getExecutionId(): string {
			return executionId;
		},
		getWorkflow() {
			return { id: WORKFLOW_ID, name: 'Test workflow', active: false };
		},
		getTimezone(): string {
			return 'UTC';
		},
		getInstanceId(): string {
			return 'test-instance';
		},
		isToolExecution(): boolean {
			return false;
		},
		setMetadata(): void {},
		addExecutionHints(): void {},
		sendMessageToUI(): void {},
		async prepareOutputData(outputData: INodeExecutionData[]) {
			return [outputData];
		},
		evaluateExpression(): never {
			throw new ApplicationError('fake context: evaluateExpression() is not supported');
		},
	};
	return ctx as unknown as FakeExecuteFunctions;
}

/* ------------------------------------------------------------------------------------------ */
/* Running the node                                                                            */
/* ------------------------------------------------------------------------------------------ */

let projectCredentialType: ICredentialType | null | undefined;

/** The package's credential type (credentials/S3StorageApi.credentials.ts), if it exists yet. */
export function loadCredentialType(): ICredentialType | undefined {
	if (projectCredentialType === undefined) {
		const file = path.resolve(__dirname, '..', '..', 'credentials', 'S3StorageApi.credentials');
		let mod: Record<string, unknown>;
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			mod = require(file) as Record<string, unknown>;
		} catch (error) {
			const e = error as NodeJS.ErrnoException;
			if (e.code === 'MODULE_NOT_FOUND' && e.message.includes('S3StorageApi.credentials')) {
				projectCredentialType = null;
				return undefined;
			}
			throw error;
		}
		projectCredentialType = null;
		for (const exported of Object.values(mod)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => ICredentialType)();
			if (instance?.name === CREDENTIAL_TYPE) projectCredentialType = instance;
		}
	}
	return projectCredentialType ?? undefined;
}

/** What n8n requires of a node's output before passing it on. */
function assertValidOutput(outputs: INodeExecutionData[][]): void {
	outputs.forEach((output, o) =>
		output.forEach((item, i) => {
			const where = `output ${o} item ${i}`;
			if (typeof item !== 'object' || item === null) throw new Error(`${where} is not an object`);
			if (typeof item.json !== 'object' || item.json === null || Array.isArray(item.json)) {
				throw new Error(`${where}: "json" must be an object, got ${JSON.stringify(item.json)}`);
			}
			for (const [prop, bin] of Object.entries(item.binary ?? {})) {
				if (typeof bin?.data !== 'string' || typeof bin?.mimeType !== 'string') {
					throw new Error(`${where}: binary "${prop}" needs string "data" and "mimeType"`);
				}
			}
		}),
	);
}

export type RunOptions = Omit<ContextOptions, 'nodeType'> & {
	/** check that every output item is well formed (default true) */
	validateOutput?: boolean;
};

/**
 * Runs `node.execute()` with a fake context built from `options` (the node's description supplies
 * parameter defaults and the package's credential type supplies credential defaults, as in n8n).
 * Returns the first output, all outputs and the context.
 */
export async function runNode(
	node: INodeType,
	options: RunOptions,
): Promise<{ output: INodeExecutionData[]; outputs: INodeExecutionData[][]; ctx: FakeExecuteFunctions }> {
	if (!node.execute) throw new Error('runNode: the node has no execute()');
	const ctx = createContext({
		...options,
		nodeType: node,
		credentialType: options.credentialType ?? loadCredentialType(),
	});
	const result = (await node.execute.call(ctx)) as INodeExecutionData[][] | null;
	const outputs = result ?? [];
	if (options.validateOutput !== false) assertValidOutput(outputs);
	return { output: outputs[0] ?? [], outputs, ctx };
}
