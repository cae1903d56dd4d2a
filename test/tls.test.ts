/**
 * TLS: a local TLS-terminating proxy (test/helpers/tlsProxy.ts) in front of the S3 server, with a
 * self-signed certificate made by `openssl req -x509` in a temp folder. Without "Ignore SSL Issues"
 * the node must refuse the certificate with a TLS message that names the fix; with it, uploads and
 * downloads work end to end over https.
 */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INode } from 'n8n-workflow';
import { toNodeError } from '../nodes/shared/transport/errors';
import { readBinary, binaryItem } from './helpers/context';
import { expectErrorClass, failed, invoke, succeeded } from './helpers/invoke';
import { node, rl } from './helpers/node';
import { getObjectBuffer, objectExists, randomBuffer, sha256, testConfig, testCredentials, uniqueBucket } from './helpers/s3';
import { TlsProxy } from './helpers/tlsProxy';

let proxy: TlsProxy;
let bucket: string;

beforeAll(async () => {
	proxy = await TlsProxy.start(testConfig().endpoint);
	bucket = await uniqueBucket('tls');
});
afterAll(async () => {
	await proxy?.close();
});

const viaTls = (extra: Record<string, string | boolean> = {}) => testCredentials({ endpoint: proxy.endpoint, ...extra });

const credentialTest = async (data: Record<string, unknown>) =>
	await node.methods.credentialTest.s3StorageApiTest.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'S3',
		type: 's3StorageApi',
		data,
	} as ICredentialsDecrypted);

describe('TLS with a self-signed certificate', () => {
	it('the certificate is what the test made: self-signed for 127.0.0.1', () => {
		expect(proxy.certificate.cert.toString()).toMatch(/-----BEGIN CERTIFICATE-----/);
		expect(proxy.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
	});

	it('without Ignore SSL Issues: the upload fails with a TLS message naming the fix, nothing is stored', async () => {
		const tcpBefore = proxy.tcpConnections;
		const inv = await invoke(
			{ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'tls/refused.txt', inputType: 'text', content: 'x', options: { maxAttempts: 1 } },
			{ credentials: viaTls({ ignoreSslIssues: false }) },
		);
		const error = failed(inv);
		expectErrorClass(error, 'NodeApiError');
		expect(error.message).toMatch(/^TLS error talking to https:\/\/127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/);
		expect(error.message).toMatch(/certificate is not trusted/);
		expect(error.message).toMatch(/enable "Ignore SSL Issues" in the credential/);
		expect(proxy.tcpConnections).toBeGreaterThan(tcpBefore); // it did reach the TLS proxy
		expect(await objectExists(bucket, 'tls/refused.txt')).toBe(false);
	});

	it('without Ignore SSL Issues: a download fails the same way (the default 3 attempts do not change the answer)', async () => {
		const error = failed(
			await invoke({ resource: 'object', operation: 'download', bucketName: rl(bucket), key: 'tls/any.txt' }, { credentials: viaTls() }),
		);
		expectErrorClass(error, 'NodeApiError');
		expect(error.message).toMatch(/^TLS error talking to https:\/\/127\.0\.0\.1:\d+/);
		expect(error.message).toMatch(/"Ignore SSL Issues"/);
	});

	it('with Ignore SSL Issues: a 6 MiB multipart upload and its download round-trip over https', async () => {
		const data = randomBuffer(6 * 1024 * 1024 + 5, 99);
		const connectionsBefore = proxy.connections;
		const [up] = succeeded(
			await invoke(
				{ resource: 'object', operation: 'upload', bucketName: rl(bucket), key: 'tls/round.bin', options: { partSize: 5 } },
				{ credentials: viaTls({ ignoreSslIssues: true }), items: [await binaryItem(data, { fileName: 'round.bin' })] },
			),
		);
		expect(up.json).toMatchObject({ bucket, key: 'tls/round.bin', size: data.length });
		expect(up.json.etag).toMatch(/^[0-9a-f]{32}-2$/);
		expect(sha256(await getObjectBuffer(bucket, 'tls/round.bin'))).toBe(sha256(data));

		const [down] = succeeded(
			await invoke(
				{ resource: 'object', operation: 'download', bucketName: rl(bucket), key: 'tls/round.bin' },
				{ credentials: viaTls({ ignoreSslIssues: true }) },
			),
		);
		expect(down.json).toMatchObject({ key: 'tls/round.bin', size: data.length, etag: up.json.etag });
		expect(sha256(await readBinary(down.binary?.data))).toBe(sha256(data));
		// it really went through the TLS proxy
		expect(proxy.connections).toBeGreaterThan(connectionsBefore);
	});

	it('the credential test reports the TLS problem, and passes with Ignore SSL Issues', async () => {
		const refused = await credentialTest(viaTls({ ignoreSslIssues: false }));
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(/^TLS error talking to https:\/\/127\.0\.0\.1:\d+/);
		expect(refused.message).toMatch(/"Ignore SSL Issues"/);
		expect(await credentialTest(viaTls({ ignoreSslIssues: true }))).toMatchObject({ status: 'OK' });
	});

	it('https:// to a server that speaks plain HTTP fails with a TLS message that says the port does not speak TLS', async () => {
		const plain = new URL(testConfig().endpoint);
		const error = failed(
			await invoke(
				{ resource: 'object', operation: 'get', bucketName: rl(bucket), key: 'tls/round.bin', options: { maxAttempts: 1 } },
				{ credentials: testCredentials({ endpoint: `https://${plain.host}`, ignoreSslIssues: true }) },
			),
		);
		expectErrorClass(error, 'NodeApiError');
		expect(error.message).toMatch(/^TLS error talking to https:\/\/127\.0\.0\.1:\d+ \(wrong version number\): the server does not speak TLS on this port/);
		expect(error.message).toMatch(/Use http:\/\/ for a plain-HTTP server/);
	});

	it('http:// to the TLS port fails at once (never hangs) with a NodeApiError: the server closed the connection', async () => {
		const inv = await invoke(
				{ resource: 'object', operation: 'get', bucketName: rl(bucket), key: 'tls/round.bin', options: { maxAttempts: 1, requestTimeout: 3000 } },
				{ credentials: testCredentials({ endpoint: proxy.endpoint.replace('https:', 'http:') }) },
		);
		const error = failed(inv);
		expectErrorClass(error, 'NodeApiError');
		// a TLS server drops a plain-HTTP request without an answer: to the client, a cut connection
		expect(error.message).toMatch(/^The connection to http:\/\/127\.0\.0\.1:\d+ was cut/);
		expect(inv.ms).toBeLessThan(3000);
	});
});

/**
 * In n8n, TLS errors keep their `code`; under jest they reach the node wrapped, as text (what the
 * tests above exercise). Both shapes must give the TLS message.
 */
describe('TLS errors as n8n sees them (code kept) and wrapped', () => {
	const n8nNode: INode = { id: '1', name: 'S3 Storage', type: 'n8n-nodes-s3-storage.s3Storage', typeVersion: 1, position: [0, 0], parameters: {} };
	const explain = (error: unknown) => {
		const e = toNodeError(n8nNode, error, 0, { endpoint: 'https://s3.example.test' }, []);
		expect(e.constructor.name).toBe('NodeApiError');
		return e.message;
	};
	const raw = (code: string, message: string) => Object.assign(new Error(message), { code, $metadata: { attempts: 1, totalRetryDelay: 0 } });

	it.each([
		['DEPTH_ZERO_SELF_SIGNED_CERT', raw('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')],
		['SELF_SIGNED_CERT_IN_CHAIN', raw('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', raw('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate')],
		['CERT_HAS_EXPIRED', raw('CERT_HAS_EXPIRED', 'certificate has expired')],
		['ERR_TLS_CERT_ALTNAME_INVALID', raw('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: s3.example.test. is not in the cert's altnames: DNS:other.test")],
		['DEPTH_ZERO_SELF_SIGNED_CERT', new Error('AWS SDK error wrapper for Error: self-signed certificate')],
		['SELF_SIGNED_CERT_IN_CHAIN', new Error('AWS SDK error wrapper for Error: self-signed certificate in certificate chain')],
		['ERR_TLS_CERT_ALTNAME_INVALID', new Error("AWS SDK error wrapper for Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames")],
	])('%s', (code, error) => {
		const message = explain(error);
		expect(message).toContain(`TLS error talking to https://s3.example.test (${code})`);
		expect(message).toMatch(/"Ignore SSL Issues"/);
	});

	it('a plain-HTTP server behind https:// (wrong version number), bare and wrapped', () => {
		const text = 'write EPROTO 80EC104E677F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number';
		for (const error of [raw('EPROTO', text), new Error(`AWS SDK error wrapper for Error: ${text}`)]) {
			expect(explain(error)).toMatch(/^TLS error talking to https:\/\/s3\.example\.test \(wrong version number\): the server does not speak TLS on this port/);
		}
	});
});
