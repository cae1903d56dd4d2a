/**
 * Runs `worker(i)` for i in [0, count) with at most `limit` running at once. Stops starting
 * new work after the first rejection and, once running work has settled, rethrows the
 * rejection of the lowest item index (the one a one-at-a-time run would have stopped at, so
 * the reported item does not depend on which request happened to answer first).
 */
export async function runBounded(count: number, limit: number, worker: (i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const state: { failure?: { error: unknown; index: number } } = {};
	const lane = async () => {
		while (!state.failure && next < count) {
			const i = next++;
			try {
				await worker(i);
			} catch (error) {
				// (another lane may have failed while this item ran)
				const earlier = state.failure as { index: number } | undefined;
				if (!earlier || i < earlier.index) state.failure = { error, index: i };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, lane));
	if (state.failure) throw state.failure.error;
}

/**
 * Runs `worker(entry, index)` for every entry of a paged source (e.g. the pages of
 * {@link listPages}), with at most `limit` running at once, as one continuous pool: the workers
 * do not wait at page boundaries. Only the current page (and whatever the source prefetches) is
 * held, so memory does not grow with the number of entries. `index` counts entries in source
 * order from 0. `stop()` (passed to `worker`) ends the run after the running work: no new entry
 * is taken and the source is not read further.
 *
 * Errors: a worker's rejection stops the run the same way and is rethrown once running work
 * has settled (the lowest index wins, as in {@link runBounded}); an error of the source (a
 * failed list request) is rethrown likewise. Workers that must not stop the run catch their
 * own errors.
 *
 * @returns the number of entries handed to workers
 */
export async function forEachPaged<T>(
	pages: AsyncIterable<T[]>,
	limit: number,
	worker: (entry: T, index: number, stop: () => void) => Promise<void>,
): Promise<number> {
	const iterator = pages[Symbol.asyncIterator]();
	let page: T[] = [];
	let pos = 0;
	let taken = 0;
	let exhausted = false;
	let stopped = false;
	let pulling: Promise<void> | undefined;
	const state: { failure?: { error: unknown; index: number } } = {};
	const fail = (error: unknown, index: number) => {
		if (!state.failure || index < state.failure.index) state.failure = { error, index };
	};
	const stop = () => {
		stopped = true;
	};
	/** The next entry, or undefined when the source is done or the run stopped. */
	const take = async (): Promise<{ entry: T; index: number } | undefined> => {
		while (pos >= page.length) {
			if (exhausted || stopped || state.failure) return undefined;
			pulling ??= iterator.next().then(
				(r) => {
					if (r.done) exhausted = true;
					else {
						page = r.value;
						pos = 0;
					}
				},
				(error) => {
					exhausted = true;
					fail(error, Number.MAX_SAFE_INTEGER);
				},
			).finally(() => {
				pulling = undefined;
			});
			await pulling;
		}
		if (stopped || state.failure) return undefined;
		return { entry: page[pos++], index: taken++ };
	};
	const lane = async () => {
		for (let next = await take(); next; next = await take()) {
			try {
				await worker(next.entry, next.index, stop);
			} catch (error) {
				fail(error, next.index);
			}
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
	} finally {
		if (!exhausted) await iterator.return?.(undefined);
	}
	if (state.failure) throw state.failure.error;
	return taken;
}
