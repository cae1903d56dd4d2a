import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Reads the Return All / Limit pair of a list operation.
 * @returns undefined for Return All, else the limit (a whole number ≥ 1)
 * @throws NodeOperationError naming "Limit" for 0, negatives or fractions
 */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Limit must be a whole number of at least 1 (got ${JSON.stringify(limit)}); turn on Return All to get everything`, {
			itemIndex,
		});
	}
	return limit;
}
