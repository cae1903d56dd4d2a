/**
 * A loopback TLS-terminating proxy for tests: https://127.0.0.1:<port> with a self-signed
 * certificate made by the `openssl` CLI in a temp folder, passing the decrypted bytes to the
 * (plain HTTP) S3 server. Lets tests show what the node does with an untrusted certificate and
 * with the credential's "Ignore SSL Issues".
 *
 * 127.0.0.1 only; `close()` (call it in afterAll) destroys every socket and removes the temp folder.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';

export interface SelfSignedCertificate {
	dir: string;
	keyPath: string;
	certPath: string;
	key: Buffer;
	cert: Buffer;
}

/**
 * Makes a self-signed certificate for 127.0.0.1 / localhost with `openssl req -x509` (an EC key:
 * fast to generate) in a new temp folder.
 */
export function makeSelfSignedCertificate(commonName = '127.0.0.1'): SelfSignedCertificate {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-s3-storage-test-tls-'));
	const keyPath = path.join(dir, 'key.pem');
	const certPath = path.join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req', '-x509',
			'-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
			'-nodes', '-keyout', keyPath, '-out', certPath,
			'-days', '1',
			'-subj', `/CN=${commonName}`,
			'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
		],
		{ stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 },
	);
	return { dir, keyPath, certPath, key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath) };
}

export class TlsProxy {
	private readonly sockets = new Set<net.Socket>();
	private closed = false;
	/** TCP connections accepted (whether or not TLS then succeeded) */
	tcpConnections = 0;
	/** TLS connections that completed the handshake on the server's side */
	connections = 0;

	private constructor(
		private readonly server: tls.Server,
		readonly endpoint: string,
		readonly certificate: SelfSignedCertificate,
	) {}

	/** Starts a TLS proxy in front of `target` (an http:// URL on 127.0.0.1). */
	static async start(target: string): Promise<TlsProxy> {
		const upstream = new URL(target);
		const certificate = makeSelfSignedCertificate();
		const server = tls.createServer({ key: certificate.key, cert: certificate.cert });
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const { port } = server.address() as net.AddressInfo;
		const proxy = new TlsProxy(server, `https://127.0.0.1:${port}`, certificate);
		server.on('connection', (raw: net.Socket) => {
			proxy.tcpConnections++;
			proxy.sockets.add(raw);
			raw.on('close', () => proxy.sockets.delete(raw));
			raw.on('error', () => undefined);
		});
		server.on('tlsClientError', () => undefined);
		server.on('secureConnection', (client: tls.TLSSocket) => {
			proxy.connections++;
			const up = net.connect(Number(upstream.port || 80), upstream.hostname);
			proxy.sockets.add(up);
			up.on('close', () => {
				proxy.sockets.delete(up);
				client.destroy();
			});
			client.on('close', () => up.destroy());
			up.on('error', () => client.destroy());
			client.on('error', () => up.destroy());
			client.pipe(up).pipe(client);
		});
		return proxy;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const s of this.sockets) s.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
		fs.rmSync(this.certificate.dir, { recursive: true, force: true });
	}
}
