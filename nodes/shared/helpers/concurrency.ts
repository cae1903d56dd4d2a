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
