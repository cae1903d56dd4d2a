import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { bucketLocator, keyPatternOption } from '../shared/descriptions';
import { s3StorageApiTest } from '../shared/methods/credentialTest';
import { searchBuckets } from '../shared/methods/listSearch';
import { DEFAULT_LOOK_BACK_MINUTES, DEFAULT_MAX_DOWNLOAD_MIB, DEFAULT_MAX_OBJECTS_PER_POLL, pollBucket } from './poll';

/**
 * S3 Storage Trigger: a polling trigger that starts the workflow once for every object created
 * (a new key, or a key written again) under a prefix of a bucket. The bookkeeping is in
 * ./state.ts, the poll in ./poll.ts.
 */
export class S3StorageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'S3 Storage Trigger',
		name: 's3StorageTrigger',
		icon: { light: 'file:s3storagetrigger.svg', dark: 'file:s3storagetrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "new objects in " + ($parameter["bucketName"].value || $parameter["bucketName"] || "…") + ($parameter["prefix"] ? "/" + $parameter["prefix"] : "") }}',
		description: 'Starts the workflow when objects are created in a bucket of any S3-compatible storage (polling)',
		defaults: { name: 'S3 Storage Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 's3StorageApi', required: true, testedBy: 's3StorageApiTest' }],
		polling: true,
		properties: [
			bucketLocator('bucketName', 'Bucket Name', 'The bucket to watch (pick it from the list or type its name)'),
			{
				displayName: 'Prefix',
				name: 'prefix',
				type: 'string',
				default: '',
				placeholder: 'inbox/',
				description: 'Watch only keys starting with this (e.g. a folder such as inbox/); empty watches the whole bucket',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				default: 'objectCreated',
				options: [
					{
						name: 'Object Created',
						value: 'objectCreated',
						description: 'A new key, or a key written again (a new version of its content)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Binary Property',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'With Download on: the binary property to put the file in',
					},
					{
						displayName: 'Download',
						name: 'download',
						type: 'boolean',
						default: false,
						description: 'Whether to attach each object as a binary file (streamed, any size up to Max Download Size)',
					},
					{
						displayName: 'Emit Existing Objects',
						name: 'emitExisting',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after the first activation also emits the objects already there (oldest first, Max Objects per Poll at a time). Off: only objects created after activation.',
					},
					keyPatternOption,
					{
						displayName: 'Keys in Time Order',
						name: 'keysInTimeOrder',
						type: 'boolean',
						default: false,
						description:
							'Whether keys sort in the order objects are written (dated names such as 2026-11-29T10-00-00.csv, ULIDs). A poll then starts listing after the last settled key, so a quiet poll costs one request however large the prefix; a key written again, or a new key that sorts before settled ones, is not seen.',
					},
					{
						displayName: 'Look-Back Window (Minutes)',
						name: 'lookBackMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_LOOK_BACK_MINUTES,
						description:
							'How much older than the previous poll an object\'s Last Modified time may be and still be emitted. On AWS a multipart upload\'s Last Modified is when the upload started, so this must exceed your longest upload; it also absorbs clock differences between the server\'s nodes. Larger keeps more in the state.',
					},
					{
						displayName: 'Max Download Size (MiB)',
						name: 'maxDownloadSize',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_DOWNLOAD_MIB,
						description: 'With Download on: larger objects come without the file, with downloadSkipped saying why. 0 means no limit.',
					},
					{
						displayName: 'Max Objects per Poll',
						name: 'maxObjectsPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_OBJECTS_PER_POLL,
						description: 'Most objects one poll emits (one execution); the rest come in the next polls, oldest first, none lost',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBuckets },
		credentialTest: { s3StorageApiTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollBucket.call(this);
	}
}
