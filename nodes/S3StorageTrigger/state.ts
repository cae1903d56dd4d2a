import { createHash } from 'node:crypto';

/**
 * What the trigger keeps between polls, in the workflow's static data (node scope). All times
 * are the S3 server's clock in milliseconds since the epoch: object LastModified values and
 * the server's `Date` header, never n8n's clock, so a skew between n8n and the server does not
 * matter.
 *
 * - `horizon`: objects whose LastModified is before it are settled (emitted, or there before
 *   activation); a poll ignores them at the cost of one comparison each.
 * - `seen`: fingerprints of the objects at or after `horizon` that were emitted or recorded,
 *   grouped by the minute of their LastModified (minutes since the epoch, base 36) so pruning is
 *   cheap and the state costs ≈ 10 bytes per object; each fingerprint is 10 characters.
 * - `cursor` (keysInTimeOrder only): the next listing starts after this key.
 *
 * Nothing else is kept per object, and every fingerprint leaves `seen` once the horizon passes
 * its LastModified (one look-back window after the poll that recorded it).
 */
export interface TriggerState {
	v: 1;
	/** bucket and prefix the state belongs to; another scope starts afresh */
	scope: string;
	horizon: number;
	seen: Record<string, string>;
	cursor?: string;
	/** server time of the last listing, for information */
	listedAt?: number;
}

/** One object of a listing, as the trigger needs it. */
export interface ListedObject {
	key: string;
	/** without quotes */
	etag: string;
	/** LastModified, ms since the epoch (server clock) */
	lastModified: number;
	/** bytes */
	size: number;
	storageClass?: string;
}

/** Length of a fingerprint in base64url characters (60 bits). */
const FP_LENGTH = 10;
/** `seen` groups fingerprints by the minute of LastModified. */
const GROUP_MS = 60_000;

/**
 * Fingerprint of one written version of an object: key, ETag and LastModified. A key written
 * again gets a new LastModified (and a new ETag when the content differs), so every write is
 * a new event, as S3's own ObjectCreated notifications count them.
 */
export function fingerprint(o: Pick<ListedObject, 'key' | 'etag' | 'lastModified'>): string {
	return createHash('sha1').update(`${o.key}\0${o.etag}\0${o.lastModified}`).digest('base64url').slice(0, FP_LENGTH);
}

/** The scope string of a bucket and prefix. */
export function scopeOf(bucket: string, prefix: string): string {
	return `${bucket}\n${prefix}`;
}

/** Reads the state from static data; undefined when missing, of another scope or unreadable. */
export function readState(staticData: Record<string, unknown>, scope: string): TriggerState | undefined {
	const s = staticData.s3Trigger as Partial<TriggerState> | undefined;
	if (!s || s.v !== 1 || s.scope !== scope || typeof s.horizon !== 'number' || typeof s.seen !== 'object' || !s.seen) {
		return undefined;
	}
	return s as TriggerState;
}

/** Stores the state in static data (n8n saves it with the workflow when the poll emits). */
export function writeState(staticData: Record<string, unknown>, state: TriggerState): void {
	staticData.s3Trigger = state;
}

/** Size of the state as n8n stores it (JSON, bytes). */
export function stateSize(state: TriggerState): number {
	return Buffer.byteLength(JSON.stringify(state));
}

/** Settings of one poll. */
export interface PollSettings {
	/** look-back window, ms */
	window: number;
	/** most objects emitted by one poll */
	maxObjects: number;
	/** key filter (objects that do not match are recorded, never emitted) */
	matches: (key: string) => boolean;
	keysInTimeOrder: boolean;
}

/**
 * One poll's bookkeeping, fed the listing page by page: decides which objects are new, keeps
 * the oldest `maxObjects` of them to emit (the rest wait for later polls, oldest first), and
 * produces the next state. Memory: the previous `seen` set, at most 2 × maxObjects + 1000
 * candidates and the fingerprints of new objects the key pattern leaves out, whatever the size
 * of the listing.
 *
 * A baseline poll (the first one after activation, without emitExisting) emits nothing and
 * records the objects inside the look-back window, so that nothing there before activation is
 * emitted later.
 */
export class PollPlan {
	private readonly seenSet = new Set<string>();
	private readonly horizon: number;
	/** new, matching objects; trimmed to the oldest maxObjects when it grows too long */
	private candidates: ListedObject[] = [];
	/** new objects dropped from candidates by trimming: count and oldest LastModified */
	private dropped = 0;
	private oldestDropped = Infinity;
	/** objects to record without emitting them: [LastModified, fingerprint] */
	private readonly recordOnly: Array<[number, string]> = [];
	/** largest listed key whose LastModified is before (serverTime - window): keysInTimeOrder */
	private settledKey: string | undefined;
	/** objects listed */
	listed = 0;
	/** server time of the listing, ms; set from the first response (see setServerTime) */
	private serverTime: number | undefined;

	constructor(
		private readonly previous: TriggerState | undefined,
		private readonly settings: PollSettings,
		private readonly baseline: boolean,
	) {
		this.horizon = previous?.horizon ?? -Infinity;
		if (previous) {
			for (const group of Object.values(previous.seen)) {
				for (let i = 0; i + FP_LENGTH <= group.length; i += FP_LENGTH) this.seenSet.add(group.slice(i, i + FP_LENGTH));
			}
		}
	}

	/** The server's clock at the listing (its Date header), ms; the first value given counts. */
	setServerTime(ms: number | undefined): void {
		if (this.serverTime === undefined && ms !== undefined && Number.isFinite(ms)) this.serverTime = ms;
	}

	/** Looks at one listed object. Settled objects cost one comparison. */
	add(o: ListedObject): void {
		this.listed++;
		const windowStart = (this.serverTime ?? Date.now()) - this.settings.window;
		if (this.settings.keysInTimeOrder && o.lastModified < windowStart) {
			if (this.settledKey === undefined || o.key > this.settledKey) this.settledKey = o.key;
		}
		if (o.lastModified < this.horizon) return;
		if (this.baseline) {
			if (o.lastModified >= windowStart) this.recordOnly.push([o.lastModified, fingerprint(o)]);
			return;
		}
		const fp = fingerprint(o);
		if (this.seenSet.has(fp)) return;
		if (!this.settings.matches(o.key)) {
			this.recordOnly.push([o.lastModified, fp]);
			return;
		}
		this.candidates.push(o);
		if (this.candidates.length >= 2 * this.settings.maxObjects + 1000) {
			this.candidates.sort(byAge);
			this.drop(this.candidates.splice(this.settings.maxObjects));
		}
	}

	private drop(objects: ListedObject[]): void {
		this.dropped += objects.length;
		for (const d of objects) if (d.lastModified < this.oldestDropped) this.oldestDropped = d.lastModified;
	}

	/**
	 * Ends the poll.
	 * @returns the objects to emit (oldest first), how many new objects wait for a later poll,
	 *   and the next state
	 */
	finish(scope: string): { emit: ListedObject[]; pending: number; state: TriggerState } {
		const now = this.serverTime ?? Date.now();
		this.candidates.sort(byAge);
		const emit = this.candidates.slice(0, this.settings.maxObjects);
		this.drop(this.candidates.slice(this.settings.maxObjects));
		// objects still to be emitted keep the horizon from passing them; it never moves back
		let horizon = Math.min(now - this.settings.window, this.oldestDropped);
		if (horizon < this.horizon) horizon = this.horizon;

		// a group goes once every object in it is older than the horizon; kept groups are reused as they are
		const groups = new Map<number, string>();
		const expired = (group: number) => (group + 1) * GROUP_MS <= horizon;
		if (this.previous) {
			for (const [group36, fps] of Object.entries(this.previous.seen)) {
				const group = parseInt(group36, 36);
				if (!expired(group)) groups.set(group, fps);
			}
		}
		const keep = (lm: number, fp: string) => {
			const group = Math.floor(lm / GROUP_MS);
			if (!expired(group)) groups.set(group, (groups.get(group) ?? '') + fp);
		};
		for (const o of emit) keep(o.lastModified, fingerprint(o));
		for (const [lm, fp] of this.recordOnly) if (lm >= horizon) keep(lm, fp);
		const seen: Record<string, string> = {};
		for (const group of [...groups.keys()].sort((a, b) => a - b)) seen[group.toString(36)] = groups.get(group)!;

		const state: TriggerState = { v: 1, scope, horizon: Number.isFinite(horizon) ? horizon : 0, seen, listedAt: now };
		if (this.settings.keysInTimeOrder) {
			// the cursor never passes an object that still has to be emitted
			let cursor = this.previous?.cursor;
			if (this.dropped === 0 && this.settledKey !== undefined && (cursor === undefined || this.settledKey > cursor)) {
				cursor = this.settledKey;
			}
			if (cursor !== undefined) state.cursor = cursor;
		}
		return { emit, pending: this.dropped, state };
	}
}

/** Oldest first; equal times by key. */
function byAge(a: ListedObject, b: ListedObject): number {
	return a.lastModified - b.lastModified || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
