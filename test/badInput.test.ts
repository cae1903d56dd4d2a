/**
 * Bad input, table-driven (test/helpers/badInputCases.ts): each case asserts the exact n8n error
 * class (NodeOperationError when the node refuses a value before sending anything, NodeApiError
 * when the server or the network refuses) and that the message names the parameter or the fix;
 * many also check that the server state did not change. Plus Delete Many with 0 and 2,500 keys.
 */
import { FaultProxy } from './helpers/faultProxy';
import { badInputCases, deleteManyAtScale, prepareCaseEnv, runBadInputCase, type CaseEnv } from './helpers/badInputCases';
import { testConfig } from './helpers/s3';

let env: CaseEnv;
let proxy: FaultProxy;

beforeAll(async () => {
	proxy = await FaultProxy.start(testConfig().endpoint);
	env = await prepareCaseEnv({ credentials: {}, wrongSecret: 'wrong-secret-0123456789abcdefghij', proxy });
});
afterAll(async () => {
	await proxy?.close();
});
afterEach(() => {
	proxy.reset();
});

describe(`bad input (${badInputCases.length} cases)`, () => {
	it('has at least 40 cases with unique names', () => {
		expect(badInputCases.length).toBeGreaterThanOrEqual(40);
		expect(new Set(badInputCases.map((c) => c.name)).size).toBe(badInputCases.length);
	});

	it.each(badInputCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		await runBadInputCase(env, c);
	});
});

describe('deleteMany at scale', () => {
	it('deletes 2,500 keys in batches of 1000 (3 requests), all gone from the server', async () => {
		await deleteManyAtScale(env);
	});
});
