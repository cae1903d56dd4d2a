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

/** Providers whose credential offers host identity and assume role (AWS; MinIO and Ceph RGW serve STS AssumeRole). */
const IDENTITY_PROVIDERS: Provider[] = ['aws', 'minio', 'other'];

/** A field shown only for the given providers. */
const onlyFor = (providers: Provider[]) => ({ show: { provider: providers } });

/**
 * Region fields: one per group of providers, each with its own hint. All default to empty, and
 * an empty region means the provider's usual one (transport/client.ts: `auto` for R2, `nyc3` for
 * Spaces, `us-west-004` for B2, `europe-1` for UpCloud, `us-east-1` otherwise). n8n's credential
 * form keeps a field's value when the provider changes and takes the first definition's default,
 * so a per-provider default would follow the user from AWS to, say, Spaces and derive the wrong
 * endpoint; an empty value cannot.
 */
const regionFields: INodeProperties[] = [
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'us-east-1',
		description: 'The AWS region of your buckets, e.g. eu-west-1. Empty means us-east-1.',
		displayOptions: onlyFor(['aws']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'auto',
		description: 'Cloudflare R2 signs with the region "auto": leave it empty (or type auto)',
		displayOptions: onlyFor(['cloudflareR2']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'us-east-1',
		description:
			'The region the server signs with. Empty means us-east-1, which MinIO, Ceph RGW and most self-hosted servers accept unless configured otherwise (Garage: its s3_region, e.g. garage).',
		displayOptions: onlyFor(['minio', 'other']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'us-east-1',
		description: 'The Wasabi region, e.g. us-east-1, eu-central-1, ap-northeast-1 (empty means us-east-1). The endpoint is derived from it.',
		displayOptions: onlyFor(['wasabi']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'nyc3',
		description: 'The Spaces datacenter, e.g. nyc3, ams3, sgp1, fra1 (empty means nyc3). The endpoint is derived from it.',
		displayOptions: onlyFor(['digitalOceanSpaces']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'us-west-004',
		description:
			'The B2 region shown in your bucket details (the part after "s3." in its S3 endpoint), e.g. us-west-004, eu-central-003 (empty means us-west-004)',
		displayOptions: onlyFor(['backblazeB2']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'europe-1',
		description: 'The region of your UpCloud Managed Object Storage instance, e.g. europe-1 (empty means europe-1)',
		displayOptions: onlyFor(['upcloud']),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'us-east-1',
		description: 'The DreamObjects cluster, e.g. us-east-1 (empty means us-east-1). The endpoint is derived from it.',
		displayOptions: onlyFor(['dreamObjects']),
	},
];

/** Where each provider's keys come from and what else it needs: shown under the provider. */
const providerNotices: INodeProperties[] = (
	[
		[
			'aws',
			'Keys: AWS console → IAM → Users → your user → Security credentials → Create access key. The user needs s3:ListAllMyBuckets for the bucket list and the connection test, plus the S3 actions your workflows use. Region: the region of your buckets.',
		],
		[
			'cloudflareR2',
			'Keys: Cloudflare dashboard → R2 → Manage API tokens → Create API token (Object Read & Write for objects; Admin Read & Write to list and create buckets), then copy its Access Key ID and Secret Access Key. Endpoint: https://ACCOUNT_ID.r2.cloudflarestorage.com ("S3 API" on the R2 overview). Region: auto.',
		],
		[
			'minio',
			'Keys: MinIO Console → Access Keys → Create access key. Endpoint: the S3 API address with its port, e.g. http://minio:9000 (not the Console port, usually 9001). Keep Force Path Style on.',
		],
		[
			'wasabi',
			'Keys: Wasabi console → Access Keys → Create new access key. Give the region of your buckets; the endpoint https://s3.REGION.wasabisys.com follows from it.',
		],
		[
			'digitalOceanSpaces',
			'Keys: DigitalOcean control panel → API → Spaces Keys → Generate New Key. Give the datacenter of your Space as the region (nyc3, ams3, ...); the endpoint https://REGION.digitaloceanspaces.com follows from it.',
		],
		[
			'backblazeB2',
			'Keys: Backblaze → Application Keys → Add a New Application Key: its keyID is the Access Key ID and its applicationKey (shown once) the Secret Access Key. The master application key does not work with the S3 API. Region: from the bucket\'s endpoint s3.REGION.backblazeb2.com.',
		],
		[
			'upcloud',
			'Keys: UpCloud control panel → Object Storage → your instance → Users → add a user and create an access key for it. Endpoint: the instance\'s public S3 endpoint, shown on the same page.',
		],
		[
			'dreamObjects',
			'Keys: DreamHost panel → Cloud Services → DreamObjects → your user\'s keys. Region: the cluster (e.g. us-east-1); the endpoint https://objects-REGION.dream.io follows from it.',
		],
		[
			'other',
			'For any server that speaks the S3 API (Ceph RGW, Garage, SeaweedFS, Google Cloud Storage interoperability, ...): its S3 endpoint URL, an access key pair, the region it signs with (us-east-1 for most), and usually Force Path Style on.',
		],
	] as Array<[Provider, string]>
).map(([provider, text]) => ({
	displayName: text,
	name: `${provider}Notice`,
	type: 'notice',
	default: '',
	displayOptions: onlyFor([provider]),
}));

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
		...providerNotices,
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'accessKeys',
			options: [
				{ name: 'Access Keys', value: 'accessKeys', description: 'An access key ID and secret access key' },
				{
					name: 'Host Identity',
					value: 'hostIdentity',
					description:
						"The AWS identity of the machine n8n runs on (environment, shared credentials file, ECS/EKS task role, EC2 instance role): only when the n8n admin sets N8N_S3_STORAGE_ALLOW_HOST_IDENTITY=true",
				},
			],
			description:
				"How to sign requests. Host Identity lets everyone who can use this credential act as the n8n host, so the n8n admin must allow it (environment variable N8N_S3_STORAGE_ALLOW_HOST_IDENTITY=true, or n8n's N8N_AWS_SYSTEM_CREDENTIALS_ACCESS_ENABLED=true).",
			displayOptions: { ...onlyFor(IDENTITY_PROVIDERS), hideOnCloud: true },
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The access key ID of the key pair (Backblaze B2: the keyID of an application key)',
			displayOptions: { hide: { authentication: ['hostIdentity'] } },
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { hide: { authentication: ['hostIdentity'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (AWS STS, R2 temporary credentials, Wasabi STS, a MinIO or Ceph STS endpoint)',
			displayOptions: { ...onlyFor(['aws', 'cloudflareR2', 'wasabi', 'minio', 'upcloud', 'other']), hide: { authentication: ['hostIdentity'] } },
		},
		{
			displayName: 'Assume Role',
			name: 'assumeRole',
			type: 'boolean',
			default: false,
			description:
				'Whether to use the keys (or host identity) above only to assume an IAM role (STS AssumeRole) and work as that role; the session is renewed before it expires',
			displayOptions: onlyFor(IDENTITY_PROVIDERS),
		},
		{
			displayName: 'Role ARN',
			name: 'roleArn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'arn:aws:iam::123456789012:role/MyRole',
			description: 'The ARN of the role to assume',
			displayOptions: { show: { provider: IDENTITY_PROVIDERS, assumeRole: [true] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			default: '',
			description: "Only when the role's trust policy asks for one (sts:ExternalId), as for a role in another account",
			displayOptions: { show: { provider: IDENTITY_PROVIDERS, assumeRole: [true] } },
		},
		{
			displayName: 'Role Session Name',
			name: 'roleSessionName',
			type: 'string',
			default: 'n8n-s3-storage',
			description: 'Shown in CloudTrail and in the assumed role\'s ARN: 2–64 letters, digits and + = , . @ _ -',
			displayOptions: { show: { provider: IDENTITY_PROVIDERS, assumeRole: [true] } },
		},
		{
			displayName: 'Session Duration (Seconds)',
			name: 'roleSessionDuration',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 43200 },
			default: 3600,
			description:
				"How long each assumed-role session lasts; a new one is fetched before it ends. AWS accepts 900 up to the role's maximum session duration (1 hour unless raised, at most 12 hours).",
			displayOptions: { show: { provider: IDENTITY_PROVIDERS, assumeRole: [true] } },
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
			displayOptions: onlyFor(['minio', 'other']),
		},
	];
}
