/**
 * The bad-input case table: every way a user can hand the node a wrong value, with the exact
 * n8n error class the node must raise and what its message must say (the parameter, or the fix).
 * Shared by test/badInput.test.ts (which asserts every case) and test/secrets.test.ts (which
 * re-runs every case with recognisable secrets and scans what the node emits).
 *
 * NodeOperationError: the node refused the value before sending anything.
 * NodeApiError: the server (or the network) said no; the S3 code goes to error.context.code.
 */
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import * as net from 'net';
import { binaryItem } from './context';
import type { FaultProxy } from './faultProxy';
import { expectErrorClass, failed, invoke, succeeded, type ErrorClass, type Invocation, type Recorder } from './invoke';
import { rl } from './node';
import {
	bucketExists,
	listAllKeys,
	objectExists,
	putObject,
	testCredentials,
	trackBucket,
	uniqueBucket,
	uniqueBucketName,
} from './s3';

/** What every case runs against; made by {@link prepareCaseEnv}. */
export interface CaseEnv {
	/** a bucket with the fixture objects below */
	bucket: string;
	/** a second bucket holding one object (for BucketNotEmpty) */
	fullBucket: string;
	/** credential fields every invocation uses (the secrets suite puts its recognisable keys here) */
	credentials: Partial<Record<string, string | boolean>>;
	/** a wrong secret access key (recognisable in the secrets suite) */
	wrongSecret: string;
	/** a fault proxy in front of the server (for replays of AWS behaviour RGW cannot show) */
	proxy: FaultProxy;
	/** a 127.0.0.1 port nothing listens on */
	closedPort: number;
	recorder?: Recorder;
}

export const FIXTURES = {
	notJson: 'fixtures/not-json.txt',
	small: 'fixtures/small.txt',
	source: 'fixtures/source.txt',
};

/** A port that was free a moment ago (listen on 0, close). */
export async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** Makes the buckets and objects the cases expect (cleaned up after the test file). */
export async function prepareCaseEnv(
	base: Pick<CaseEnv, 'credentials' | 'wrongSecret' | 'proxy' | 'recorder'>,
): Promise<CaseEnv> {
	const bucket = await uniqueBucket('badin');
	const fullBucket = await uniqueBucket('badin-full');
	await Promise.all([
		putObject(bucket, FIXTURES.notJson, 'hello, this is not {json', { contentType: 'application/json' }),
		putObject(bucket, FIXTURES.small, 'x'.repeat(100), { contentType: 'text/plain' }),
		putObject(bucket, FIXTURES.source, 'source bytes'),
		putObject(fullBucket, 'keep-me.txt', 'I keep the bucket non-empty'),
	]);
	return { ...base, bucket, fullBucket, closedPort: await closedPort() };
}

export interface BadInputCase {
	name: string;
	errorClass: ErrorClass;
	/** every pattern must match error.message */
	message: RegExp[];
	/** S3 error code expected in error.context.code */
	code?: string;
	/** HTTP status expected in error.httpCode */
	httpCode?: string;
	params: (env: CaseEnv) => INodeParameters;
	items?: (env: CaseEnv) => Promise<INodeExecutionData[]>;
	/** credential fields on top of env.credentials */
	credentials?: (env: CaseEnv) => Partial<Record<string, string | boolean>>;
	/** proxy rules etc. before the run */
	arrange?: (env: CaseEnv) => Promise<void> | void;
	/**
	 * The error is about the whole execution (credential, client options), raised before any
	 * item runs: it carries no item index.
	 */
	executionLevel?: boolean;
	/** server state after the run */
	verify?: (env: CaseEnv, inv: Invocation) => Promise<void> | void;
}

const object = (operation: string, extra: INodeParameters) => (env: CaseEnv): INodeParameters => ({
	resource: 'object',
	operation,
	bucketName: rl(env.bucket),
	...extra,
});

const createBucket = (bucketName: string, options: INodeParameters = {}) => (): INodeParameters => {
	// should the node wrongly create it, the bucket is still cleaned up after the file
	if (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketName)) trackBucket(bucketName);
	return { resource: 'bucket', operation: 'create', bucketName, options };
};

const viaProxy = (env: CaseEnv) => ({ endpoint: env.proxy.endpoint });

/** Cases checked before anything is sent: NodeOperationError naming the parameter. */
const refusedLocally: BadInputCase[] = [
	// bucket names S3 rejects, on bucket create (strict rules)
	{
		name: 'bucket create: upper case',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "MyBucket" is not valid/, /upper-case letters \(use lower case\)/],
		params: createBucket('MyBucket'),
		verify: async () => expect(await bucketExists('MyBucket')).toBe(false),
	},
	{
		name: 'bucket create: 2 characters',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "ab" is not valid/, /fewer than 3 characters/],
		params: createBucket('ab'),
	},
	{
		name: 'bucket create: 64 characters',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "a{64}" is not valid/, /more than 63 characters/],
		params: createBucket('a'.repeat(64)),
	},
	{
		name: 'bucket create: shaped like an IP address',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "192\.168\.5\.4" is not valid/, /IP address/],
		params: createBucket('192.168.5.4'),
	},
	{
		name: 'bucket create: two dots in a row',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "my\.\.bucket" is not valid/, /two dots in a row/],
		params: createBucket('my..bucket'),
	},
	{
		name: 'bucket create: underscore',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "my_bucket" is not valid/, /lower-case letters, digits, dots and hyphens/],
		params: createBucket('my_bucket'),
	},
	{
		name: 'bucket create: starts with a hyphen',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "-bucket" is not valid/, /start and end with a letter or digit/],
		params: createBucket('-bucket'),
	},
	{
		name: 'bucket create: empty name',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name is empty/],
		params: createBucket(''),
	},
	{
		name: 'upload: bucket name with a folder in it',
		errorClass: 'NodeOperationError',
		message: [/^Bucket Name "[^"]+\/reports" is not valid/, /contains "\/".*put folders in the key/],
		params: (env) => ({ ...object('upload', { key: 'a.txt', inputType: 'text', content: 'x' })(env), bucketName: rl(`${env.bucket}/reports`) }),
	},
	// keys
	{
		name: 'upload: empty key',
		errorClass: 'NodeOperationError',
		message: [/^Key is empty/, /give the object key/],
		params: object('upload', { key: '', inputType: 'text', content: 'x' }),
	},
	{
		name: 'upload: key over 1024 UTF-8 bytes (513 characters, 1026 bytes)',
		errorClass: 'NodeOperationError',
		message: [/^Key is 1026 bytes long in UTF-8; S3 allows at most 1024/, /shorten the key/],
		params: object('upload', { key: 'é'.repeat(513), inputType: 'text', content: 'x' }),
	},
	{
		name: 'download: empty key',
		errorClass: 'NodeOperationError',
		message: [/^Key is empty/],
		params: object('download', { key: '' }),
	},
	{
		name: 'copy: empty source key',
		errorClass: 'NodeOperationError',
		message: [/^Source Key is empty/],
		params: (env) => ({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(env.bucket),
			sourceKey: '',
			destinationBucketName: rl(env.bucket),
			destinationKey: 'copy/x.txt',
		}),
	},
	{
		name: 'move: empty destination key',
		errorClass: 'NodeOperationError',
		message: [/^Destination Key is empty/],
		params: (env) => ({
			resource: 'object',
			operation: 'move',
			sourceBucketName: rl(env.bucket),
			sourceKey: FIXTURES.source,
			destinationBucketName: rl(env.bucket),
			destinationKey: '',
		}),
		verify: async (env) => expect(await objectExists(env.bucket, FIXTURES.source)).toBe(true),
	},
	{
		name: 'folder create: empty folder key',
		errorClass: 'NodeOperationError',
		message: [/^Folder Key is empty/],
		params: (env) => ({ resource: 'folder', operation: 'create', bucketName: rl(env.bucket), folderKey: '' }),
	},
	{
		name: 'folder delete: empty folder key (says how to delete everything)',
		errorClass: 'NodeOperationError',
		message: [/^Folder Key is empty/, /"\/" to delete every object in the bucket/],
		params: (env) => ({ resource: 'folder', operation: 'delete', bucketName: rl(env.bucket), folderKey: '  ' }),
		verify: async (env) => expect(await objectExists(env.bucket, FIXTURES.small)).toBe(true),
	},
	// upload content
	{
		name: 'upload: invalid base64 content',
		errorClass: 'NodeOperationError',
		message: [/^Content is not valid base64/, /Input Type to "Text"/],
		params: object('upload', { key: 'b64/bad.bin', inputType: 'base64', content: 'this is not base64!' }),
		verify: async (env) => expect(await objectExists(env.bucket, 'b64/bad.bin')).toBe(false),
	},
	{
		name: 'upload: base64 of impossible length',
		errorClass: 'NodeOperationError',
		message: [/^Content is not valid base64/],
		params: object('upload', { key: 'b64/bad2.bin', inputType: 'base64', content: 'QUJDRA=' + 'Q' }),
	},
	{
		name: 'upload: missing binary property (lists the ones present)',
		errorClass: 'NodeOperationError',
		message: [/No binary property "data"/, /Input Binary Field/, /the item has: "file", "thumbnail"/],
		params: object('upload', { key: 'bin/missing.bin', inputType: 'binary', binaryPropertyName: 'data' }),
		items: async () => {
			const a = await binaryItem('a', { fileName: 'a.txt', propertyName: 'file' });
			const b = await binaryItem('b', { fileName: 'b.png', propertyName: 'thumbnail' });
			return [{ json: {}, binary: { ...a.binary, ...b.binary } }];
		},
	},
	{
		name: 'upload: binary input on an item without binary data',
		errorClass: 'NodeOperationError',
		message: [/No binary property "data"/, /no binary data at all/, /Input Type "Text" or "Base64"/],
		params: object('upload', { key: 'bin/none.bin', inputType: 'binary' }),
	},
	{
		name: 'upload: metadata value with non-ASCII characters',
		errorClass: 'NodeOperationError',
		message: [/^Metadata value of "author"/, /HTTP headers cannot carry/, /encodeURIComponent/],
		params: object('upload', {
			key: 'meta/a.txt',
			inputType: 'text',
			content: 'x',
			options: { metadata: { metadataValues: [{ name: 'author', value: 'Zoë Ångström' }] } },
		}),
		verify: async (env) => expect(await objectExists(env.bucket, 'meta/a.txt')).toBe(false),
	},
	{
		name: 'upload: metadata value with a line break',
		errorClass: 'NodeOperationError',
		message: [/^Metadata value of "note"/, /control characters/],
		params: object('upload', {
			key: 'meta/b.txt',
			inputType: 'text',
			content: 'x',
			options: { metadata: { metadataValues: [{ name: 'note', value: 'line 1\r\nX-Injected: yes' }] } },
		}),
	},
	{
		name: 'upload: metadata name with a space',
		errorClass: 'NodeOperationError',
		message: [/^Metadata name "my key" cannot be sent as an HTTP header/, /letters, digits and hyphens/],
		params: object('upload', {
			key: 'meta/c.txt',
			inputType: 'text',
			content: 'x',
			options: { metadata: { metadataValues: [{ name: 'my key', value: 'v' }] } },
		}),
	},
	{
		name: 'copy: metadata value with non-ASCII characters',
		errorClass: 'NodeOperationError',
		message: [/^Metadata value of "city"/, /HTTP headers cannot carry/],
		params: (env) => ({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(env.bucket),
			sourceKey: FIXTURES.source,
			destinationBucketName: rl(env.bucket),
			destinationKey: 'copy/meta.txt',
			options: { metadata: { metadataValues: [{ name: 'city', value: 'Zürich' }] } },
		}),
		verify: async (env) => expect(await objectExists(env.bucket, 'copy/meta.txt')).toBe(false),
	},
	{
		name: 'upload: part size below 5 MiB',
		errorClass: 'NodeOperationError',
		message: [/^Part Size must be at least 5 MiB/],
		params: object('upload', { key: 'part/a.txt', inputType: 'text', content: 'x', options: { partSize: 4 } }),
	},
	{
		name: 'upload: presigned URL expiry 0',
		errorClass: 'NodeOperationError',
		message: [/^Expires In \(option\) must be a whole number of seconds from 1 to 604800/, /got 0/],
		params: object('upload', { key: 'exp/a.txt', inputType: 'text', content: 'x', options: { returnPresignedUrl: true, expiresIn: 0 } }),
	},
	// download
	{
		name: 'download: JSON output of an object that is not JSON',
		errorClass: 'NodeOperationError',
		message: [/^Object "fixtures\/not-json\.txt" is not valid JSON/, /set Output Type to "Text" or "Binary File"/],
		params: object('download', { key: FIXTURES.notJson, outputType: 'json' }),
	},
	{
		name: 'download: range without "bytes="',
		errorClass: 'NodeOperationError',
		message: [/^Range "0-99" is not a valid byte range/, /bytes=START-END/],
		params: object('download', { key: FIXTURES.small, outputType: 'text', options: { range: '0-99' } }),
	},
	{
		name: 'download: range with start after end',
		errorClass: 'NodeOperationError',
		message: [/^Range "bytes=100-10" is not a valid byte range/],
		params: object('download', { key: FIXTURES.small, outputType: 'text', options: { range: 'bytes=100-10' } }),
	},
	{
		name: 'download: range with several parts',
		errorClass: 'NodeOperationError',
		message: [/^Range "bytes=0-1,5-6" is not a valid byte range/],
		params: object('download', { key: FIXTURES.small, outputType: 'text', options: { range: 'bytes=0-1,5-6' } }),
	},
	{
		name: 'download: empty output binary field',
		errorClass: 'NodeOperationError',
		message: [/^Put Output File in Field is empty/],
		params: object('download', { key: FIXTURES.small, outputType: 'binary', binaryPropertyName: ' ' }),
	},
	// presigned URLs
	{
		name: 'presigned URL: expiresIn 0',
		errorClass: 'NodeOperationError',
		message: [/^Expires In must be a whole number of seconds from 1 to 604800 \(7 days\); got 0/],
		params: object('getPresignedUrl', { key: FIXTURES.small, expiresIn: 0 }),
	},
	{
		name: 'presigned URL: expiresIn 604801',
		errorClass: 'NodeOperationError',
		message: [/^Expires In must be a whole number of seconds from 1 to 604800/, /got 604801/],
		params: object('getPresignedUrl', { key: FIXTURES.small, expiresIn: 604801 }),
	},
	{
		name: 'presigned URL: expiresIn 1.5',
		errorClass: 'NodeOperationError',
		message: [/^Expires In must be a whole number of seconds/, /got 1\.5/],
		params: object('getPresignedUrl', { key: FIXTURES.small, expiresIn: 1.5 }),
	},
	{
		name: 'object getMany: presigned URL expiry above 7 days',
		errorClass: 'NodeOperationError',
		message: [/^Expires In \(option\) must be a whole number of seconds from 1 to 604800/],
		params: object('getMany', { returnAll: true, options: { presignedUrls: true, expiresIn: 700000 } }),
	},
	// limits
	{
		name: 'object getMany: limit 0',
		errorClass: 'NodeOperationError',
		message: [/^Limit must be a whole number of at least 1 \(got 0\)/, /Return All/],
		params: object('getMany', { returnAll: false, limit: 0 }),
	},
	{
		name: 'bucket getMany: limit 0',
		errorClass: 'NodeOperationError',
		message: [/^Limit must be a whole number of at least 1 \(got 0\)/],
		params: () => ({ resource: 'bucket', operation: 'getMany', returnAll: false, limit: 0 }),
	},
	{
		name: 'folder getMany: limit 2.5',
		errorClass: 'NodeOperationError',
		message: [/^Limit must be a whole number of at least 1 \(got 2\.5\)/],
		params: (env) => ({ resource: 'folder', operation: 'getMany', bucketName: rl(env.bucket), returnAll: false, limit: 2.5 }),
	},
	// delete many
	{
		name: 'deleteMany: no keys (blank lines only)',
		errorClass: 'NodeOperationError',
		message: [/^Keys is empty/, /one per line/],
		params: object('deleteMany', { keys: '\n  \r\n\n' }),
	},
	{
		name: 'deleteMany: an empty array from an expression',
		errorClass: 'NodeOperationError',
		message: [/^Keys is empty/],
		params: object('deleteMany', { keys: [] as unknown as string }),
	},
	{
		name: 'deleteMany: a key over 1024 bytes among valid ones (nothing deleted)',
		errorClass: 'NodeOperationError',
		message: [/^A key in Keys is 1100 bytes long in UTF-8; S3 allows at most 1024/],
		params: object('deleteMany', { keys: `${FIXTURES.small}\n${'k'.repeat(1100)}` }),
		verify: async (env) => expect(await objectExists(env.bucket, FIXTURES.small)).toBe(true),
	},
	// client settings
	{
		name: 'option Max Attempts 0',
		errorClass: 'NodeOperationError',
		executionLevel: true,
		message: [/^Max Attempts must be a whole number of at least 1/],
		params: object('get', { key: FIXTURES.small, options: { maxAttempts: 0 } }),
	},
	// credential fields
	{
		name: 'credential: endpoint without scheme',
		errorClass: 'NodeOperationError',
		executionLevel: true,
		message: [/^The credential's endpoint "127\.0\.0\.1:\d+" has no scheme/, /start it with https:\/\//],
		params: object('get', { key: FIXTURES.small }),
		credentials: () => ({ endpoint: new URL(testCredentials().endpoint as string).host }),
	},
	{
		name: 'credential: malformed endpoint URL',
		errorClass: 'NodeOperationError',
		executionLevel: true,
		message: [/^The credential's endpoint "https:\/\/my bucket\.example\.com" is not a valid URL/, /https:\/\/host\[:port\]/],
		params: object('get', { key: FIXTURES.small }),
		credentials: () => ({ endpoint: 'https://my bucket.example.com' }),
	},
	{
		name: 'credential: provider "other" without an endpoint',
		errorClass: 'NodeOperationError',
		executionLevel: true,
		message: [/^The credential has no endpoint: set "Endpoint"/],
		params: object('get', { key: FIXTURES.small }),
		credentials: () => ({ endpoint: '' }),
	},
	{
		name: 'credential: keys pasted into the endpoint field (no scheme); the message must not echo the secret',
		errorClass: 'NodeOperationError',
		executionLevel: true,
		message: [/^The credential's endpoint .* has no scheme/],
		params: object('get', { key: FIXTURES.small }),
		credentials: (env) => {
			const secret = String(env.credentials.secretAccessKey ?? testCredentials().secretAccessKey);
			return { endpoint: `${String(env.credentials.accessKeyId ?? testCredentials().accessKeyId)}:${secret}@127.0.0.1:${env.closedPort}` };
		},
		verify: (env, inv) => {
			const secret = String(env.credentials.secretAccessKey ?? testCredentials().secretAccessKey);
			expect(inv.error?.message).not.toContain(secret);
		},
	},
];

/** Cases the server or the network refuses: NodeApiError with the S3 code and a hint. */
const refusedRemotely: BadInputCase[] = [
	{
		name: 'credential: closed port',
		errorClass: 'NodeApiError',
		message: [/^Could not connect to http:\/\/127\.0\.0\.1:\d+: connection refused/, /Check the endpoint's host and port/],
		params: object('get', { key: FIXTURES.small, options: { maxAttempts: 1 } }),
		credentials: (env) => ({ endpoint: `http://127.0.0.1:${env.closedPort}` }),
	},
	{
		name: 'credential: unknown host (DNS fails)',
		errorClass: 'NodeApiError',
		message: [/^Could not resolve the host of http:\/\/no-such-host\.invalid:7480/, /check the endpoint's host name/],
		params: object('get', { key: FIXTURES.small, options: { maxAttempts: 1 } }),
		credentials: () => ({ endpoint: 'http://no-such-host.invalid:7480' }),
	},
	{
		name: 'credential: wrong secret access key (SignatureDoesNotMatch)',
		errorClass: 'NodeApiError',
		message: [/signature does not match: check the secret access key in the credential/],
		code: 'SignatureDoesNotMatch',
		httpCode: '403',
		params: object('download', { key: FIXTURES.small, outputType: 'text' }),
		credentials: (env) => ({ secretAccessKey: env.wrongSecret }),
	},
	{
		name: 'credential: unknown access key ID (InvalidAccessKeyId)',
		errorClass: 'NodeApiError',
		message: [/does not know this access key ID: check the access key ID in the credential/],
		code: 'InvalidAccessKeyId',
		httpCode: '403',
		params: object('upload', { key: 'auth/x.txt', inputType: 'text', content: 'x' }),
		credentials: () => ({ accessKeyId: 'AKIANOSUCHKEY0000000' }),
		verify: async (env) => expect(await objectExists(env.bucket, 'auth/x.txt')).toBe(false),
	},
	{
		name: 'download: NoSuchBucket',
		errorClass: 'NodeApiError',
		message: [/^Bucket "[a-z0-9-]+" does not exist: check the bucket name/],
		code: 'NoSuchBucket',
		httpCode: '404',
		params: (env) => ({ ...object('download', { key: FIXTURES.small })(env), bucketName: rl(uniqueBucketName('missing')) }),
	},
	{
		name: 'upload: NoSuchBucket',
		errorClass: 'NodeApiError',
		message: [/^Bucket "nonexistent-bucket-[a-z0-9-]+" does not exist/],
		code: 'NoSuchBucket',
		httpCode: '404',
		params: (env) => ({ ...object('upload', { key: 'a.txt', inputType: 'text', content: 'x' })(env), bucketName: rl(uniqueBucketName('nonexistent-bucket')) }),
	},
	{
		name: 'download: NoSuchKey',
		errorClass: 'NodeApiError',
		message: [/^No object "no\/such\/key\.txt" in bucket "[^"]+": check the key \(it is case-sensitive/],
		code: 'NoSuchKey',
		httpCode: '404',
		params: object('download', { key: 'no/such/key.txt' }),
	},
	{
		name: 'get (HeadObject): missing key (404 without a body)',
		errorClass: 'NodeApiError',
		message: [/^No object "fixtures\/SMALL\.txt" in bucket "[^"]+": check the key \(it is case-sensitive/],
		httpCode: '404',
		params: object('get', { key: 'fixtures/SMALL.txt' }),
	},
	{
		name: 'download: range beyond the end of the object (InvalidRange)',
		errorClass: 'NodeApiError',
		message: [/range is not satisfiable.*check the "Range" option/],
		code: 'InvalidRange',
		httpCode: '416',
		params: object('download', { key: FIXTURES.small, outputType: 'text', options: { range: 'bytes=5000-' } }),
	},
	{
		name: 'bucket delete: BucketNotEmpty',
		errorClass: 'NodeApiError',
		message: [/^Bucket "[^"]+" is not empty: delete its objects first/],
		code: 'BucketNotEmpty',
		httpCode: '409',
		params: (env) => ({ resource: 'bucket', operation: 'delete', bucketName: rl(env.fullBucket) }),
		verify: async (env) => expect(await listAllKeys(env.fullBucket)).toEqual(['keep-me.txt']),
	},
	{
		name: 'bucket delete: NoSuchBucket',
		errorClass: 'NodeApiError',
		message: [/^Bucket "gone-[a-z0-9-]+" does not exist/],
		code: 'NoSuchBucket',
		httpCode: '404',
		params: () => ({ resource: 'bucket', operation: 'delete', bucketName: rl(uniqueBucketName('gone')) }),
	},
	{
		name: 'copy: missing source key',
		errorClass: 'NodeApiError',
		message: [/^No object "fixtures\/missing-source\.txt" in bucket "[^"]+": check the key/],
		code: 'NoSuchKey',
		httpCode: '404',
		params: (env) => ({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(env.bucket),
			sourceKey: 'fixtures/missing-source.txt',
			destinationBucketName: rl(env.bucket),
			destinationKey: 'copy/from-missing.txt',
		}),
		verify: async (env) => expect(await objectExists(env.bucket, 'copy/from-missing.txt')).toBe(false),
	},
	{
		name: 'move: missing source key (nothing created, nothing deleted)',
		errorClass: 'NodeApiError',
		message: [/^No object "fixtures\/missing-move\.txt" in bucket "[^"]+": check the key/],
		code: 'NoSuchKey',
		httpCode: '404',
		params: (env) => ({
			resource: 'object',
			operation: 'move',
			sourceBucketName: rl(env.bucket),
			sourceKey: 'fixtures/missing-move.txt',
			destinationBucketName: rl(env.bucket),
			destinationKey: FIXTURES.source,
		}),
		verify: async (env) => expect(await objectExists(env.bucket, FIXTURES.source)).toBe(true),
	},
	{
		name: 'copy: missing source bucket',
		errorClass: 'NodeApiError',
		message: [/^Bucket "[a-z0-9-]+" does not exist/],
		code: 'NoSuchBucket',
		httpCode: '404',
		params: (env) => ({
			resource: 'object',
			operation: 'copy',
			sourceBucketName: rl(uniqueBucketName('no-src')),
			sourceKey: 'a.txt',
			destinationBucketName: rl(env.bucket),
			destinationKey: 'copy/from-missing-bucket.txt',
		}),
	},
	// Regions. RGW has one zone group ("default"): it refuses a bucket in any other region with
	// InvalidLocationConstraint (a location constraint, or a credential region, it does not serve).
	{
		name: 'bucket create: Region option the server does not serve (names the region)',
		errorClass: 'NodeApiError',
		message: [/"eu-west-1"/, /region/i],
		code: 'InvalidLocationConstraint',
		httpCode: '400',
		params: createBucket(uniqueBucketName('region-opt'), { region: 'eu-west-1' }),
	},
	{
		name: 'bucket create: credential region the server does not serve (names the region)',
		errorClass: 'NodeApiError',
		message: [/"eu-central-1"/, /region/i],
		code: 'InvalidLocationConstraint',
		httpCode: '400',
		params: createBucket(uniqueBucketName('region-cred')),
		credentials: () => ({ region: 'eu-central-1' }),
	},
	// An existing bucket in another region: RGW serves every bucket from every region name, so it
	// cannot show this. The fault proxy replays AWS's answers instead (the same status, headers and
	// XML body AWS sends; the SDK follows region redirects only for AWS's own endpoint).
	{
		name: 'download: bucket in another region (AWS 301 PermanentRedirect, replayed) names the region',
		errorClass: 'NodeApiError',
		message: [/in region "eu-west-1": set the credential's region to "eu-west-1"/],
		code: 'PermanentRedirect',
		httpCode: '301',
		params: object('download', { key: 'region/elsewhere.txt' }),
		credentials: viaProxy,
		arrange: (env) => {
			env.proxy.addRule({
				match: (r) => r.path.endsWith('/region/elsewhere.txt'),
				action: {
					kind: 'respond',
					status: 301,
					code: 'PermanentRedirect',
					message: 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
					extra: { Endpoint: 's3.eu-west-1.amazonaws.com', Bucket: env.bucket },
					headers: { 'x-amz-bucket-region': 'eu-west-1' },
				},
			});
		},
	},
	{
		name: 'getMany: credential region wrong for the bucket (AWS AuthorizationHeaderMalformed, replayed) names the region',
		errorClass: 'NodeApiError',
		message: [/in region "ap-southeast-2": set the credential's region to "ap-southeast-2"/],
		code: 'AuthorizationHeaderMalformed',
		httpCode: '400',
		params: object('getMany', { returnAll: true, prefix: 'region-list/' }),
		credentials: viaProxy,
		arrange: (env) => {
			env.proxy.addRule({
				match: (r) => r.query.get('prefix') === 'region-list/',
				action: {
					kind: 'respond',
					status: 400,
					code: 'AuthorizationHeaderMalformed',
					message: "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'ap-southeast-2'",
					extra: { Region: 'ap-southeast-2' },
				},
			});
		},
	},
];

export const badInputCases: BadInputCase[] = [...refusedLocally, ...refusedRemotely];

/** Runs one case (recording the invocation when env.recorder is set) and asserts all it says. */
export async function runBadInputCase(env: CaseEnv, c: BadInputCase): Promise<Invocation> {
	await c.arrange?.(env);
	const credentials: ICredentialDataDecryptedObject = testCredentials({ ...env.credentials, ...(c.credentials?.(env) ?? {}) });
	const inv = await invoke(c.params(env), { credentials, items: c.items ? await c.items(env) : undefined }, c.name);
	env.recorder?.record(inv);
	const error = failed(inv);
	expectErrorClass(error, c.errorClass);
	for (const re of c.message) expect(error.message).toMatch(re);
	if (c.code !== undefined) expect(error.context.code).toBe(c.code);
	if (c.httpCode !== undefined) expect(error.httpCode).toBe(c.httpCode);
	if (c.errorClass === 'NodeOperationError') expect(error.context.code).toBeUndefined();
	expect(error.context.itemIndex).toBe(c.executionLevel ? undefined : 0);
	await c.verify?.(env, inv);
	return inv;
}

/* ------------------------------------------------------------------------------------------ */
/* Delete Many at scale (not an error: batched in requests of 1000, everything gone)            */
/* ------------------------------------------------------------------------------------------ */

/** Puts `count` small objects under `prefix`, 32 at a time. */
export async function putMany(bucket: string, prefix: string, count: number): Promise<string[]> {
	const keys = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}.txt`);
	let next = 0;
	const lane = async () => {
		while (next < keys.length) {
			const key = keys[next++];
			await putObject(bucket, key, key);
		}
	};
	await Promise.all(Array.from({ length: 32 }, lane));
	return keys;
}

/**
 * deleteMany with 2,520 keys, of which `existing` (default all 2,500) exist and 20 never did:
 * three DeleteObjects requests, every key reported deleted, the server empty under the prefix,
 * and a neighbour left alone.
 */
export async function deleteManyAtScale(
	env: Pick<CaseEnv, 'bucket' | 'credentials' | 'recorder'>,
	{ existing = 2500 }: { existing?: number } = {},
): Promise<void> {
	const prefix = `bulk-${Date.now().toString(36)}/`;
	const created = await putMany(env.bucket, prefix, existing);
	const keys = [...created, ...Array.from({ length: 2500 - existing }, (_, i) => `${prefix}${String(existing + i).padStart(5, '0')}.txt`)];
	await putObject(env.bucket, `${prefix.slice(0, -1)}-neighbour.txt`, 'stay');
	const ghosts = Array.from({ length: 20 }, (_, i) => `${prefix}ghost-${i}.txt`);
	const inv = await invoke(
		{ resource: 'object', operation: 'deleteMany', bucketName: rl(env.bucket), keys: [...keys, ...ghosts].join('\r\n') },
		{ credentials: testCredentials(env.credentials) },
		'deleteMany 2,500 keys',
	);
	env.recorder?.record(inv);
	const [out] = succeeded(inv);
	expect(out.json.errors).toEqual([]);
	expect((out.json.deleted as string[]).length).toBe(2520);
	expect(new Set(out.json.deleted as string[])).toEqual(new Set([...keys, ...ghosts]));
	expect(out.json.requests).toBe(3);
	expect(await listAllKeys(env.bucket, prefix)).toEqual([]);
	expect(await objectExists(env.bucket, `${prefix.slice(0, -1)}-neighbour.txt`)).toBe(true);
}
