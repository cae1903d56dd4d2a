import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_CONNECTION_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../../shared/transport/client';

// the bucket picker is shared with the trigger node
export { bucketLocator } from '../../shared/descriptions';

/** The `folderKey` parameter of the folder operations (a prefix; the operation adds a trailing "/"). */
export function folderKeyField(description: string): INodeProperties {
	return {
		displayName: 'Folder Key',
		name: 'folderKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'reports/2024/',
		description,
	};
}

/** An object key picker: keys listed under what the user types (ListObjectsV2), or a typed key. */
export function keyLocator(name = 'key', displayName = 'Key', description = 'The object key, e.g. reports/2024/summary.csv (used exactly as given: no slash is added or removed)'): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'key', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: name === 'sourceKey' ? 'searchSourceKeys' : 'searchKeys', searchable: true },
			},
			{
				displayName: 'By Key',
				name: 'key',
				type: 'string',
				placeholder: 'folder/file.txt',
			},
		],
	};
}

/**
 * Items run at once by default. Measured (bench/, Ceph RGW, 2 cores, 2,000 × 4 KiB uploads):
 * 16 in flight gave ≈ 1.4 × the items/s of 8; 32 added little more.
 */
export const DEFAULT_CONCURRENCY = 16;

/** Options every operation has: how the client talks to S3 and how many items run at once. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 64 },
		default: DEFAULT_CONCURRENCY,
		description:
			'How many input items to process at the same time. Output order and pairing stay as the input\'s.',
	},
	{
		displayName: 'Connection Timeout (Ms)',
		name: 'connectionTimeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_CONNECTION_TIMEOUT_MS,
		description:
			'Milliseconds to wait for the server to accept a connection; the attempt is then retried (see Max Attempts). 0 means no limit.',
	},
	{
		displayName: 'Full Checksums',
		name: 'fullChecksums',
		type: 'boolean',
		default: false,
		description:
			'Whether to send and verify the AWS SDK\'s default CRC32 checksums on a custom endpoint. Off by default because R2, older MinIO, Ceph RGW and GCS interop reject them; AWS always gets them.',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 3,
		description:
			'How many times a request is tried in total when the server throttles (503 SlowDown), fails (500) or the network drops; client errors (4xx) are never retried',
	},
	{
		displayName: 'Request Timeout (Ms)',
		name: 'requestTimeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_REQUEST_TIMEOUT_MS,
		description:
			'Milliseconds a request may go without any data before it fails; the attempt is then retried (see Max Attempts). The default (120 s) outlasts the longest silence measured from a server at work (a 512 MiB part copy on Ceph RGW: up to 48 s). 0 means no limit.',
	},
	{
		displayName: 'Retry Mode',
		name: 'retryMode',
		type: 'options',
		default: 'standard',
		options: [
			{ name: 'Standard', value: 'standard', description: 'Exponential back-off with jitter' },
			{
				name: 'Adaptive',
				value: 'adaptive',
				description: 'Standard, plus client-side rate limiting when the server throttles',
			},
		],
		description: 'How failed requests are retried (the AWS SDK\'s retry strategy)',
	},
];

/** Names of the options in {@link requestOptions}; an operation's own options must not reuse them. */
export const REQUEST_OPTION_NAMES = requestOptions.map((o) => o.name);

/**
 * The `options` collection of an operation: its own options followed by the request options,
 * sorted by display name as n8n's linter expects.
 */
export function optionsCollection(resource: string, operation: string, own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: [operation] } },
		options: [...own, ...requestOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Sets displayOptions so the properties show only for the given resource and operation. */
export function showFor(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((p) => ({
		...p,
		displayOptions: {
			...p.displayOptions,
			show: { ...(p.displayOptions?.show ?? {}), resource: [resource], operation: [operation] },
		},
	}));
}

/** Return All / Limit pair for list operations. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Presigned URL lifetime option (seconds). */
export const expiresInOption: INodeProperties = {
	displayName: 'Expires In (Seconds)',
	name: 'expiresIn',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 604800 },
	default: 3600,
	description: 'How long presigned URLs stay valid: 1 second to 604800 (7 days)',
};

/** User metadata (x-amz-meta-*) option. */
export const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add metadata',
	description: 'User metadata stored with the object as x-amz-meta-* headers (ASCII only)',
	options: [
		{
			displayName: 'Metadata',
			name: 'metadataValues',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'author' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** Canned ACL option. */
export const aclOption: INodeProperties = {
	displayName: 'ACL',
	name: 'acl',
	type: 'options',
	default: '',
	description: 'A canned access control list. Many buckets have ACLs disabled; leave empty then.',
	options: [
		{ name: 'Authenticated Read', value: 'authenticated-read' },
		{ name: 'AWS Exec Read', value: 'aws-exec-read' },
		{ name: 'Bucket Owner Full Control', value: 'bucket-owner-full-control' },
		{ name: 'Bucket Owner Read', value: 'bucket-owner-read' },
		{ name: 'None (Bucket Default)', value: '' },
		{ name: 'Private', value: 'private' },
		{ name: 'Public Read', value: 'public-read' },
		{ name: 'Public Read Write', value: 'public-read-write' },
	],
};

/** Storage class option. */
export const storageClassOption: INodeProperties = {
	displayName: 'Storage Class',
	name: 'storageClass',
	type: 'options',
	default: '',
	description: 'Where the provider keeps the object; not every provider offers every class',
	options: [
		{ name: 'Deep Archive', value: 'DEEP_ARCHIVE' },
		{ name: 'Default (Standard)', value: '' },
		{ name: 'Glacier Flexible Retrieval', value: 'GLACIER' },
		{ name: 'Glacier Instant Retrieval', value: 'GLACIER_IR' },
		{ name: 'Intelligent-Tiering', value: 'INTELLIGENT_TIERING' },
		{ name: 'One Zone-IA', value: 'ONEZONE_IA' },
		{ name: 'Reduced Redundancy', value: 'REDUCED_REDUNDANCY' },
		{ name: 'Standard', value: 'STANDARD' },
		{ name: 'Standard-IA', value: 'STANDARD_IA' },
	],
};

/** Version ID option. */
export const versionIdOption: INodeProperties = {
	displayName: 'Version ID',
	name: 'versionId',
	type: 'string',
	default: '',
	description: 'A specific version of the object (versioned buckets); empty means the latest',
};
