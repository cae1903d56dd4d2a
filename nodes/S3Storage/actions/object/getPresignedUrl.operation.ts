import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { getBucketParam, getKeyParam, getOptions } from '../../../shared/helpers/params';
import { presignObjectUrl } from '../../../shared/helpers/presign';
import { validateExpiresIn } from '../../../shared/helpers/validation';
import { bucketLocator, keyLocator, optionsCollection, showFor, versionIdOption } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('object', 'getPresignedUrl', [
		bucketLocator(),
		keyLocator('key', 'Key', 'The key the URL gives access to (for PUT, it need not exist yet)'),
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			default: 'GET',
			options: [
				{ name: 'GET (Download)', value: 'GET' },
				{ name: 'PUT (Upload)', value: 'PUT' },
			],
			description: 'What the URL lets its holder do, without credentials',
		},
		{
			displayName: 'Expires In (Seconds)',
			name: 'expiresIn',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 604800 },
			default: 3600,
			description: 'How long the URL stays valid: 1 second to 604800 (7 days)',
		},
	]),
	optionsCollection('object', 'getPresignedUrl', [
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'string',
			default: '',
			placeholder: 'image/png',
			description: 'For PUT: the Content-Type the uploader must send (it is part of the signature)',
		},
		{
			displayName: 'Response Content Disposition',
			name: 'responseContentDisposition',
			type: 'string',
			default: '',
			placeholder: 'attachment; filename="report.pdf"',
			description: 'For GET: the Content-Disposition the server answers with, e.g. to force a download',
		},
		versionIdOption,
	]),
];

/**
 * Get Presigned URL: signs a GET or PUT URL locally (no request is sent; the URL calls
 * GetObject or PutObject when used).
 * Output: { url, method, expiresAt, expiresIn (seconds), bucket, key }
 * @throws NodeOperationError for an expiry outside 1–604800 seconds
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const i = ctx.itemIndex;
	const bucket = getBucketParam(this, i);
	const key = getKeyParam(this, i);
	ctx.target.bucket = bucket;
	ctx.target.key = key;
	const rawMethod = String(this.getNodeParameter('method', i, 'GET')).trim().toUpperCase();
	if (rawMethod !== 'GET' && rawMethod !== 'PUT') {
		throw new NodeOperationError(this.getNode(), `Method "${rawMethod}" is not supported: use GET (download) or PUT (upload)`, {
			itemIndex: i,
		});
	}
	const method: 'GET' | 'PUT' = rawMethod;
	const expiresIn = validateExpiresIn(this, this.getNodeParameter('expiresIn', i, 3600), i);
	const options = getOptions(this, i);
	const signed = await presignObjectUrl(ctx.client, method, bucket, key, expiresIn, {
		versionId: options.versionId as string,
		contentType: options.contentType as string,
		responseContentDisposition: options.responseContentDisposition as string,
	});
	const json: IDataObject = { url: signed.url, method, expiresAt: signed.expiresAt, expiresIn, bucket, key };
	if (method === 'PUT' && options.contentType) json.contentType = options.contentType as string;
	return [{ json }];
}
