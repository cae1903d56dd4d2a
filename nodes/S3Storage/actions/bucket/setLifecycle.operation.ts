import { DeleteBucketLifecycleCommand, PutBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { toS3Rule, type LifecycleRuleShape } from '../../../shared/helpers/lifecycle';
import { getBucketParam } from '../../../shared/helpers/params';
import { bucketLocator, optionsCollection, showFor } from '../common.descriptions';
import type { OperationContext } from '../types';

export const description: INodeProperties[] = [
	...showFor('bucket', 'setLifecycle', [
		bucketLocator('bucketName', 'Bucket Name', 'The bucket whose lifecycle rules to set'),
		{
			displayName: 'Lifecycle Rules',
			name: 'lifecycleRules',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add rule',
			description:
				'The rules replace all of the bucket\'s lifecycle rules, also ones set elsewhere. No rules: the bucket\'s rules are removed. Servers apply rules about once a day.',
			options: [
				{
					displayName: 'Rule',
					name: 'rule',
					values: [
						{
							displayName: 'Abort Incomplete Uploads After (Days)',
							name: 'abortIncompleteUploadsAfterDays',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description:
								'Abort multipart uploads still open this many days after they started (e.g. left by a crashed worker) and free their parts; 0 means never',
						},
						{
							displayName: 'Enabled',
							name: 'enabled',
							type: 'boolean',
							default: true,
							description: 'Whether the rule is active (a disabled rule is kept but does nothing)',
						},
						{
							displayName: 'Expire After (Days)',
							name: 'expireAfterDays',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: 'Delete objects this many days after they were written; 0 means never',
						},
						{
							displayName: 'ID',
							name: 'id',
							type: 'string',
							default: '',
							placeholder: 'abort-stale-uploads',
							description: 'A name for the rule, unique in the bucket (empty gives rule-1, rule-2 and so on by position)',
						},
						{
							displayName: 'Prefix',
							name: 'prefix',
							type: 'string',
							default: '',
							placeholder: 'tmp/',
							description: 'Only keys starting with this (empty means the whole bucket)',
						},
					],
				},
			],
		},
	]),
	optionsCollection('bucket', 'setLifecycle', []),
];

const PARAM = 'Lifecycle Rules';

/** A days field: 0, empty or missing means "not set"; otherwise a whole number of at least 1. */
function readDays(ctx: IExecuteFunctions, value: unknown, field: string, rule: string, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '' || value === 0 || value === '0') return undefined;
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(n) || n < 1) {
		throw new NodeOperationError(ctx.getNode(), `${PARAM}: "${field}" of rule "${rule}" must be a whole number of days (1 or more), or 0 for never; got ${JSON.stringify(value)}`, {
			itemIndex,
		});
	}
	return n;
}

/**
 * Reads and checks `lifecycleRules`: the editor's `{ rule: [...] }`, or an array of rules from an
 * expression. Empty IDs become `rule-<position>`.
 * @throws NodeOperationError naming the rule and field: no action set, bad days, duplicate or over-long ID
 */
export function readLifecycleRules(ctx: IExecuteFunctions, itemIndex: number): LifecycleRuleShape[] {
	let raw = ctx.getNodeParameter('lifecycleRules', itemIndex, {}) as unknown;
	if (typeof raw === 'string' && raw.trim()) {
		try {
			raw = JSON.parse(raw);
		} catch {
			throw new NodeOperationError(ctx.getNode(), `${PARAM} must be a list of rules (or a JSON array of them); got text that is not JSON`, { itemIndex });
		}
	}
	const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? (raw as { rule?: unknown }).rule ?? [] : [];
	if (!Array.isArray(list)) {
		throw new NodeOperationError(ctx.getNode(), `${PARAM} must be a list of rules, e.g. { "rule": [ { "id": "...", "abortIncompleteUploadsAfterDays": 1 } ] }`, { itemIndex });
	}
	const seen = new Set<string>();
	return list.map((entry: unknown, index) => {
		if (!entry || typeof entry !== 'object') {
			throw new NodeOperationError(ctx.getNode(), `${PARAM}: rule ${index + 1} is not an object with id, prefix, expireAfterDays, abortIncompleteUploadsAfterDays, enabled`, { itemIndex });
		}
		const r = entry as Record<string, unknown>;
		const id = String(r.id ?? '').trim() || `rule-${index + 1}`;
		if (Buffer.byteLength(id) > 255) {
			throw new NodeOperationError(ctx.getNode(), `${PARAM}: the ID of rule ${index + 1} is longer than 255 characters; shorten it`, { itemIndex });
		}
		if (seen.has(id)) {
			throw new NodeOperationError(ctx.getNode(), `${PARAM}: two rules have the ID "${id}"; give each rule its own ID`, { itemIndex });
		}
		seen.add(id);
		const rule: LifecycleRuleShape = {
			id,
			prefix: typeof r.prefix === 'string' ? r.prefix : r.prefix === undefined || r.prefix === null ? '' : String(r.prefix),
			enabled: r.enabled === undefined ? true : r.enabled === true || r.enabled === 'true',
		};
		const expire = readDays(ctx, r.expireAfterDays, 'Expire After (Days)', id, itemIndex);
		const abort = readDays(ctx, r.abortIncompleteUploadsAfterDays, 'Abort Incomplete Uploads After (Days)', id, itemIndex);
		if (expire === undefined && abort === undefined) {
			throw new NodeOperationError(ctx.getNode(), `${PARAM}: rule "${id}" does nothing; set "Expire After (Days)" or "Abort Incomplete Uploads After (Days)" (or both) to 1 or more`, {
				itemIndex,
			});
		}
		if (expire !== undefined) rule.expireAfterDays = expire;
		if (abort !== undefined) rule.abortIncompleteUploadsAfterDays = abort;
		return rule;
	});
}

/**
 * Set Lifecycle: replaces the bucket's lifecycle rules with `lifecycleRules` (S3 API:
 * PutBucketLifecycleConfiguration; with no rules DeleteBucketLifecycle, as S3 refuses an empty
 * configuration). Each rule: objects under `prefix` expire `expireAfterDays` days after they were
 * written, and/or multipart uploads still open `abortIncompleteUploadsAfterDays` days after they
 * started are aborted.
 * Output: { name, rules } (the rules as sent, IDs filled in).
 * @throws NodeOperationError for bad rules (see readLifecycleRules); server errors (e.g. NoSuchBucket,
 *   NotImplemented) go to the router as NodeApiError
 */
export async function execute(this: IExecuteFunctions, ctx: OperationContext): Promise<INodeExecutionData[]> {
	const name = getBucketParam(this, ctx.itemIndex);
	ctx.target.bucket = name;
	const rules = readLifecycleRules(this, ctx.itemIndex);
	if (rules.length === 0) {
		await ctx.client.send(new DeleteBucketLifecycleCommand({ Bucket: name }), { abortSignal: ctx.abortSignal });
	} else {
		await ctx.client.send(
			new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: rules.map(toS3Rule) } }),
			{ abortSignal: ctx.abortSignal },
		);
	}
	return [{ json: { name, rules: rules.map((r) => ({ ...r })) } }];
}
