import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** Providers with a preset; the values are stored in saved credentials, so never rename them. */
type Provider =
	| 'aws'
	| 'cloudflareR2'
	| 'minio'
	| 'wasabi'
	| 'digitalOceanSpaces'
	| 'backblazeB2'
	| 'upcloud'
	| 'dreamObjects'
	| 'other';

/** A field shown only for the given providers. */
const onlyFor = (providers: Provider[]) => ({ show: { provider: providers } });

/**
 * Region fields: one per group of providers, so that each preset has its own default
 * (n8n stores the one that is shown under the shared name `region`).
 */
const regionFields: INodeProperties[] = [
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'us-east-1',
		placeholder: 'us-east-1',
		description: 'The AWS region of your buckets, e.g. eu-west-1',
		displayOptions: onlyFor(['aws']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'auto',
		description: 'Cloudflare R2 signs with the region "auto"; keep it unless you use a jurisdiction-specific set-up',
		displayOptions: onlyFor(['cloudflareR2']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'us-east-1',
		description:
			'The region the server signs with (MinIO, Ceph RGW and most self-hosted servers accept us-east-1 unless configured otherwise)',
		displayOptions: onlyFor(['minio', 'other']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'us-east-1',
		placeholder: 'us-east-1',
		description: 'The Wasabi region, e.g. us-east-1, eu-central-1, ap-northeast-1. The endpoint is derived from it.',
		displayOptions: onlyFor(['wasabi']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'nyc3',
		placeholder: 'nyc3',
		description: 'The Spaces datacenter, e.g. nyc3, ams3, sgp1, fra1. The endpoint is derived from it.',
		displayOptions: onlyFor(['digitalOceanSpaces']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'us-west-004',
		placeholder: 'us-west-004',
		description:
			'The B2 region shown in your bucket details (the part after "s3." in its S3 endpoint), e.g. us-west-004, eu-central-003',
		displayOptions: onlyFor(['backblazeB2']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'europe-1',
		description: 'The region of your UpCloud Managed Object Storage instance, e.g. europe-1',
		displayOptions: onlyFor(['upcloud']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: 'us-east-1',
		description: 'The DreamObjects cluster, e.g. us-east-1. The endpoint is derived from it.',
		displayOptions: onlyFor(['dreamObjects']),
	},
];

/** Endpoint fields: required where no pattern exists, optional (derived from the region) elsewhere. */
const endpointFields: INodeProperties[] = [
	{
		displayName: 'Custom Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		placeholder: 'https://s3-fips.us-east-1.amazonaws.com',
		description: 'Leave empty for AWS S3. Set it only for a FIPS, dual-stack or VPC endpoint.',
		displayOptions: onlyFor(['aws']),
	},
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://<ACCOUNT_ID>.r2.cloudflarestorage.com',
		description:
			'Your account\'s S3 API URL: Cloudflare dashboard → R2 → Overview → "S3 API". Do not include the bucket name.',
		displayOptions: onlyFor(['cloudflareR2']),
	},
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'http://127.0.0.1:9000',
		description: 'The URL of the S3 API, with scheme and port, without the bucket name',
		displayOptions: onlyFor(['minio', 'other']),
	},
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://abcde.upcloudobjects.com',
		description: 'The public S3 endpoint of your Managed Object Storage instance (UpCloud control panel → Object Storage → your instance)',
		displayOptions: onlyFor(['upcloud']),
	},
	{
		displayName: 'Custom Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		placeholder: 'Derived from the region when empty',
		description:
			'Leave empty to use the provider\'s endpoint for the region (Wasabi: https://s3.REGION.wasabisys.com, Spaces: https://REGION.digitaloceanspaces.com, B2: https://s3.REGION.backblazeb2.com, DreamObjects: https://objects-REGION.dream.io)',
		displayOptions: onlyFor(['wasabi', 'digitalOceanSpaces', 'backblazeB2', 'dreamObjects']),
	},
];

const pathStyleFields: INodeProperties[] = [
	{
		displayName: 'Force Path Style',
		name: 'forcePathStyle',
		type: 'boolean',
		default: true,
		description:
			'Whether to address buckets as ENDPOINT/BUCKET instead of BUCKET.ENDPOINT. Self-hosted servers (MinIO, Ceph, Garage) usually need this.',
		displayOptions: onlyFor(['minio', 'other']),
	},
	{
		displayName: 'Force Path Style',
		name: 'forcePathStyle',
		type: 'boolean',
		default: false,
		description:
			'Whether to address buckets as ENDPOINT/BUCKET instead of BUCKET.ENDPOINT (needed for bucket names with dots over HTTPS)',
		displayOptions: onlyFor([
			'aws',
			'cloudflareR2',
			'wasabi',
			'digitalOceanSpaces',
			'backblazeB2',
			'upcloud',
			'dreamObjects',
		]),
	},
];

/**
 * Credential for any S3-compatible object store. Requests are signed by the AWS SDK (SigV4)
 * in the node's transport, so this type has no `authenticate` block; the connection test
 * (ListBuckets) lives in the node's `methods.credentialTest`.
 */
export class S3StorageApi implements ICredentialType {
	name = 's3StorageApi';

	displayName = 'S3 Storage API';

	icon: Icon = { light: 'file:s3storage.svg', dark: 'file:s3storage.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-s3-storage/n8n-nodes-s3-storage#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			default: 'aws',
			description: 'Fills in the region, endpoint and addressing style that the provider needs',
			options: [
				{ name: 'AWS S3', value: 'aws' },
				{ name: 'Backblaze B2', value: 'backblazeB2' },
				{ name: 'Cloudflare R2', value: 'cloudflareR2' },
				{ name: 'DigitalOcean Spaces', value: 'digitalOceanSpaces' },
				{ name: 'DreamObjects', value: 'dreamObjects' },
				{ name: 'MinIO', value: 'minio' },
				{
					name: 'Other S3-Compatible (Ceph, Garage, SeaweedFS, GCS Interop, ...)',
					value: 'other',
				},
				{ name: 'UpCloud', value: 'upcloud' },
				{ name: 'Wasabi', value: 'wasabi' },
			],
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			description:
				'AWS: IAM → Users → Security credentials. R2: R2 → Manage API tokens. B2: Application Keys (the keyID). Spaces: API → Spaces Keys.',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (AWS STS)',
		},
		...regionFields,
		...endpointFields,
		...pathStyleFields,
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified (self-signed certificates on a private server)',
		},
	];
}
