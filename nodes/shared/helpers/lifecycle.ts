import type { LifecycleRule } from '@aws-sdk/client-s3';

/** One lifecycle rule in the node's `lifecycleRules` shape (parameters and output alike). */
export interface LifecycleRuleShape {
	/** The rule's ID (S3 allows up to 255 characters). */
	id: string;
	/** Key prefix the rule applies to; '' = the whole bucket. */
	prefix: string;
	/** Delete current objects this many days after they were written; absent = never. */
	expireAfterDays?: number;
	/** Abort multipart uploads still open this many days after they were started; absent = never. */
	abortIncompleteUploadsAfterDays?: number;
	/** Whether the rule is active (S3 Status Enabled / Disabled). */
	enabled: boolean;
}

/** A rule as read back from a server, with a note when it holds settings the shape cannot show. */
export interface LifecycleRuleOutput extends LifecycleRuleShape {
	/** Set (true) when the rule also has transitions, tag filters, a date, size filters or noncurrent-version actions. */
	otherSettings?: true;
}

/**
 * Turns a node-shaped rule into the S3 API's LifecycleRule (PutBucketLifecycleConfiguration):
 * `Filter.Prefix` (empty for the whole bucket), `Expiration.Days`,
 * `AbortIncompleteMultipartUpload.DaysAfterInitiation`, `Status`.
 */
export function toS3Rule(rule: LifecycleRuleShape): LifecycleRule {
	const out: LifecycleRule = {
		ID: rule.id,
		Filter: { Prefix: rule.prefix },
		Status: rule.enabled ? 'Enabled' : 'Disabled',
	};
	if (rule.expireAfterDays !== undefined) out.Expiration = { Days: rule.expireAfterDays };
	if (rule.abortIncompleteUploadsAfterDays !== undefined) {
		out.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.abortIncompleteUploadsAfterDays };
	}
	return out;
}

/**
 * Turns a rule from GetBucketLifecycleConfiguration into the node's shape. The prefix comes from
 * `Filter.Prefix`, `Filter.And.Prefix` or the legacy top-level `Prefix`; anything the shape
 * cannot express (transitions, tags, an expiry date, size filters, noncurrent versions) sets
 * `otherSettings: true`, so a user knows that writing the rules back would drop it.
 */
export function fromS3Rule(rule: LifecycleRule): LifecycleRuleOutput {
	const filter = rule.Filter;
	const out: LifecycleRuleOutput = {
		id: rule.ID ?? '',
		prefix: filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? '',
		enabled: rule.Status === 'Enabled',
	};
	if (rule.Expiration?.Days !== undefined) out.expireAfterDays = rule.Expiration.Days;
	if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
		out.abortIncompleteUploadsAfterDays = rule.AbortIncompleteMultipartUpload.DaysAfterInitiation;
	}
	const other =
		(rule.Transitions?.length ?? 0) > 0 ||
		(rule.NoncurrentVersionTransitions?.length ?? 0) > 0 ||
		rule.NoncurrentVersionExpiration !== undefined ||
		rule.Expiration?.Date !== undefined ||
		rule.Expiration?.ExpiredObjectDeleteMarker !== undefined ||
		filter?.Tag !== undefined ||
		(filter?.And?.Tags?.length ?? 0) > 0 ||
		filter?.ObjectSizeGreaterThan !== undefined ||
		filter?.ObjectSizeLessThan !== undefined ||
		filter?.And?.ObjectSizeGreaterThan !== undefined ||
		filter?.And?.ObjectSizeLessThan !== undefined;
	if (other) out.otherSettings = true;
	return out;
}
