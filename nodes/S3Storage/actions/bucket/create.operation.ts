import { CreateBucketCommand, type BucketCannedACL, type BucketLocationConstraint, type CreateBucketCommandInput } from '@aws-sdk/client-s3';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { getBucketParam, getOptions } from '../../../shared/helpers/params';
import { optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'create', [
		{
			displayName: 'Bucket Name',
			name: 'bucketName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my-new-bucket',
			description: 'The name of the new bucket: 3–63 lower-case letters, digits, dots and hyphens',
		},
	]),
	optionsCollection('bucket', 'create', [
		{
			displayName: 'ACL',
			name: 'acl',
			type: 'options',
			default: '',
			options: [
				{ name: 'Authenticated Read', value: 'authenticated-read' },
				{ name: 'None (Provider Default)', value: '' },
				{ name: 'Private', value: 'private' },
				{ name: 'Public Read', value: 'public-read' },
				{ name: 'Public Read Write', value: 'public-read-write' },
			],
			description: 'A canned ACL for the bucket',
		},
		{
			displayName: 'Object Lock Enabled',
			name: 'objectLockEnabled',
			type: 'boolean',
			default: false,
			description: 'Whether to enable S3 Object Lock (also turns on versioning)',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: '',
			placeholder: 'eu-west-1',
			description:
				'Where to create the bucket (sent as the location constraint). Empty: the credential\'s region on AWS; the server\'s default elsewhere.',
		},
	]),
];

/**
 * Create: makes a bucket (S3 API: CreateBucket, with a location constraint for any region
 * but us-east-1). Output: { name, region }
 * @throws NodeOperationError for a name S3 rejects (checked before sending)
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	// a resource-locator value saved in a workflow works here too (getBucketParam unwraps it)
	const name = getBucketParam(this, i, 'bucketName', 'Bucket Name', true);
	ctx.target.bucket = name;
	const options = getOptions(this, i);
	const clientRegion = await ctx.client.config.region();
	const isAws = !ctx.target.endpoint;
	const requested = String(options.region ?? '').trim();
	const region = requested || clientRegion;
	ctx.target.region = region;
	const input: CreateBucketCommandInput = {
		Bucket: name,
		ACL: (options.acl as BucketCannedACL) || undefined,
		ObjectLockEnabledForBucket: options.objectLockEnabled === true ? true : undefined,
	};
	const constraint = requested || (isAws ? clientRegion : '');
	if (constraint && constraint !== 'us-east-1' && constraint !== 'auto') {
		input.CreateBucketConfiguration = { LocationConstraint: constraint as BucketLocationConstraint };
	}
	await ctx.client.send(new CreateBucketCommand(input), { abortSignal: ctx.abortSignal });
	const json: IDataObject = { name, region };
	return [{ json }];
}
