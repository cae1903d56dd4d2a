/**
 * A loopback HTTP fault proxy for tests: the node's credential endpoint points at the proxy, the
 * proxy forwards to the real S3 server (RGW) and, for the requests its rules match, injects a
 * fault instead:
 *  - `respond`: answer with a status and an S3 XML error body (503 SlowDown, 500 InternalError,
 *    an AWS-style 301 PermanentRedirect, ...) without contacting the server;
 *  - `cutRequest`: forward the request but reset the connection after N bytes of its body;
 *  - `cutResponse`: forward the server's status, headers and N bytes of its body, then reset;
 *  - `stall`: accept the request and never answer (until the proxy closes, or at most
 *    `maxStallMs`);
 *  - `stallResponse`: forward the status, headers and N bytes of the body, then go silent;
 *  - `pause`: forward everything, but hold the answer for `ms` first (or, with `afterBytes`,
 *    forward the status, headers and N body bytes, go silent for `ms`, then send the rest): a
 *    slow server that recovers;
 *  - `rewriteResponseHeaders`: forward, changing the response headers (e.g. a shifted `date`).
 *
 * Listens on 127.0.0.1 only, on a port the OS picks. Every timer is bounded and unref'd;
 * `close()` (call it in afterAll) destroys every socket it holds. Every request is logged
 * (method, URL, what was done) so tests can count attempts: the SDK's retries show up as
 * separate requests.
 *
 * SigV4 signs the Host header, which the proxy forwards unchanged (RGW does not compare it with
 * its own address), so signatures made for the proxy's address verify at the server.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

export interface ProxyRequest {
	method: string;
	/** path and query as received, e.g. /bucket/key?partNumber=2&uploadId=... */
	url: string;
	/** decoded path (no query) */
	path: string;
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
}

export type FaultAction =
	| {
			kind: 'respond';
			status: number;
			/** S3 error code for the XML body (no body when omitted or for HEAD) */
			code?: string;
			message?: string;
			/** extra XML elements in <Error>, e.g. { Region: 'eu-west-1' } */
			extra?: Record<string, string>;
			headers?: Record<string, string>;
	  }
	| { kind: 'cutRequest'; afterBytes: number }
	/** forward the status, headers and N body bytes, then reset the connection (or, `graceful`, close it with a FIN) */
	| { kind: 'cutResponse'; afterBytes: number; graceful?: boolean }
	| { kind: 'stall' }
	/** forward the status, headers and N body bytes, then send nothing more (socket kept open) */
	| { kind: 'stallResponse'; afterBytes: number }
	/** hold the answer `ms` before its headers, or (with `afterBytes`) after N body bytes, then go on */
	| { kind: 'pause'; ms: number; afterBytes?: number }
	/** forward normally, but let `rewrite` change the response headers first (e.g. shift `date`) */
	| { kind: 'rewriteResponseHeaders'; rewrite: (headers: http.OutgoingHttpHeaders) => void };

export interface FaultRule {
	/** which requests the rule applies to (default: every request) */
	match?: (req: ProxyRequest) => boolean;
	/** let this many matching requests through first (default 0) */
	skip?: number;
	/** apply to this many matching requests after `skip`, then pass them (default: every one) */
	times?: number;
	action: FaultAction;
	/** label in the request log */
	label?: string;
}

export interface LoggedRequest {
	method: string;
	url: string;
	path: string;
	query: URLSearchParams;
	/** request headers as received (lower-case names) */
	headers: http.IncomingHttpHeaders;
	/** the rule's label (or action kind) when a fault was injected, else undefined */
	fault?: string;
	/** status sent to the client (the server's, or the injected one); undefined when cut/stalled */
	status?: number;
}

interface ActiveRule extends FaultRule {
	seen: number;
}

/** An S3 XML error document, as AWS and RGW send them. */
export function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
	const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const fields = Object.entries(extra)
		.map(([k, v]) => `<${k}>${esc(v)}</${k}>`)
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message>${fields}<RequestId>fault-proxy</RequestId><HostId>fault-proxy</HostId></Error>`;
}

/** 503 SlowDown, as S3 throttles. */
export const slowDown = (): FaultAction => ({
	kind: 'respond',
	status: 503,
	code: 'SlowDown',
	message: 'Please reduce your request rate.',
});

/** 500 InternalError. */
export const internalError = (): FaultAction => ({
	kind: 'respond',
	status: 500,
	code: 'InternalError',
	message: 'We encountered an internal error. Please try again.',
});

/** Matches requests whose (decoded) path ends with `/<key>` (path-style: /bucket/key). */
export const forKey =
	(key: string) =>
	(r: ProxyRequest): boolean =>
		r.path.endsWith(`/${key}`);

/** Matches UploadPart requests (a partNumber in the query), optionally of one part. */
export const uploadPart =
	(partNumber?: number) =>
	(r: ProxyRequest): boolean =>
		r.method === 'PUT' && r.query.has('partNumber') && (partNumber === undefined || r.query.get('partNumber') === String(partNumber));

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'expect', 'te', 'trailer']);

export class FaultProxy {
	readonly requests: LoggedRequest[] = [];
	private readonly rules: ActiveRule[] = [];
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	private closed = false;

	private constructor(
		private readonly server: http.Server,
		private readonly target: URL,
		readonly endpoint: string,
		/** a stalled request is dropped after this long at the latest */
		private readonly maxStallMs: number,
	) {}

	/**
	 * Starts a proxy in front of `target` (e.g. process.env.S3_TEST_ENDPOINT).
	 * @param options.maxStallMs upper bound of a stall (default 20 s)
	 */
	static async start(target: string, options: { maxStallMs?: number } = {}): Promise<FaultProxy> {
		const server = http.createServer();
		server.keepAliveTimeout = 5000;
		server.headersTimeout = 20_000;
		server.requestTimeout = 0;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				server.off('error', reject);
				resolve();
			});
		});
		const { port } = server.address() as AddressInfo;
		const proxy = new FaultProxy(server, new URL(target), `http://127.0.0.1:${port}`, options.maxStallMs ?? 20_000);
		server.on('connection', (socket: Socket) => {
			proxy.sockets.add(socket);
			socket.on('close', () => proxy.sockets.delete(socket));
			socket.on('error', () => undefined);
		});
		server.on('clientError', (_err, socket) => socket.destroy());
		server.on('request', (req, res) => proxy.handle(req, res));
		return proxy;
	}

	/** Adds a rule (checked in the order added; the first that applies wins). */
	addRule(rule: FaultRule): this {
		this.rules.push({ ...rule, seen: 0 });
		return this;
	}

	/** Removes every rule and forgets the logged requests. */
	reset(): this {
		this.rules.length = 0;
		this.requests.length = 0;
		return this;
	}

	/** Number of logged requests (optionally only those matching). */
	count(filter?: (r: LoggedRequest) => boolean): number {
		return filter ? this.requests.filter(filter).length : this.requests.length;
	}

	/** Logged requests as "METHOD url [fault] status" lines (for failure messages). */
	describe(): string {
		return this.requests.map((r) => `${r.method} ${r.url}${r.fault ? ` [${r.fault}]` : ''} ${r.status ?? '-'}`).join('\n');
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const s of this.sockets) s.destroy();
		this.server.closeAllConnections();
		this.upstreamAgent.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private timer(ms: number, fn: () => void): void {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		t.unref();
		this.timers.add(t);
	}

	private pickRule(info: ProxyRequest): ActiveRule | undefined {
		for (const rule of this.rules) {
			if (rule.match && !rule.match(info)) continue;
			const n = rule.seen++;
			const skip = rule.skip ?? 0;
			if (n < skip) continue;
			if (rule.times !== undefined && n - skip >= rule.times) continue;
			return rule;
		}
		return undefined;
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = req.url ?? '/';
		const parsed = new URL(url, 'http://proxy.invalid');
		let path = parsed.pathname;
		try {
			path = decodeURIComponent(parsed.pathname);
		} catch {
			// keep it encoded
		}
		const info: ProxyRequest = { method: req.method ?? 'GET', url, path, query: parsed.searchParams, headers: req.headers };
		const rule = this.pickRule(info);
		const entry: LoggedRequest = { method: info.method, url, path, query: info.query, headers: req.headers, fault: rule ? (rule.label ?? rule.action.kind) : undefined };
		this.requests.push(entry);
		const socket = req.socket;
		const reset = () => {
			// an RST, as when a network path drops, rather than an orderly FIN
			if (typeof (socket as Socket & { resetAndDestroy?: () => void }).resetAndDestroy === 'function') {
				(socket as Socket & { resetAndDestroy: () => void }).resetAndDestroy();
			} else socket.destroy();
		};
		const action = rule?.action;

		if (action?.kind === 'stall') {
			req.resume(); // read and ignore the body; never answer
			this.timer(this.maxStallMs, () => socket.destroy());
			return;
		}
		if (action?.kind === 'respond') {
			req.resume();
			req.on('end', () => {
				const body =
					action.code && info.method !== 'HEAD' ? Buffer.from(s3ErrorXml(action.code, action.message ?? action.code, action.extra)) : Buffer.alloc(0);
				entry.status = action.status;
				res.writeHead(action.status, {
					'content-type': 'application/xml',
					'content-length': String(body.length),
					'x-amz-request-id': 'fault-proxy',
					...action.headers,
				});
				res.end(info.method === 'HEAD' ? undefined : body);
			});
			return;
		}

		const headers: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) headers[name] = value;
		}
		const upstream = http.request({
			host: this.target.hostname,
			port: this.target.port || 80,
			method: info.method,
			path: url,
			headers,
			agent: this.upstreamAgent,
		});
		upstream.on('error', () => {
			if (!res.headersSent) {
				entry.status = 502;
				res.writeHead(502, { 'content-type': 'text/plain' });
				res.end('fault proxy: upstream error');
			} else socket.destroy();
		});

		let requestBytes = 0;
		let cutDone = false;
		req.on('data', (chunk: Buffer) => {
			if (cutDone) return;
			if (action?.kind === 'cutRequest' && requestBytes + chunk.length >= action.afterBytes) {
				const keep = Math.max(0, action.afterBytes - requestBytes);
				if (keep > 0) upstream.write(chunk.subarray(0, keep));
				requestBytes += keep;
				cutDone = true;
				upstream.destroy();
				reset();
				return;
			}
			requestBytes += chunk.length;
			if (!upstream.write(chunk)) {
				req.pause();
				upstream.once('drain', () => req.resume());
			}
		});
		req.on('end', () => {
			if (cutDone) return;
			if (action?.kind === 'cutRequest') {
				// the body was shorter than the cut point: cut at its end (before the answer)
				cutDone = true;
				upstream.destroy();
				reset();
				return;
			}
			upstream.end();
		});
		req.on('error', () => upstream.destroy());

		res.on('error', () => socket.destroy());
		upstream.on('response', (up) => {
			if (action?.kind === 'pause' && action.afterBytes === undefined) {
				// silent before the headers: hold the whole answer, then forward it as it is
				up.pause();
				this.timer(action.ms, () => this.forward(up, res, entry, undefined));
				return;
			}
			this.forward(up, res, entry, action, socket, reset);
		});
	}

	/** Sends the server's answer to the client, applying a response-side fault. */
	private forward(
		up: http.IncomingMessage,
		res: http.ServerResponse,
		entry: LoggedRequest,
		action: FaultAction | undefined,
		socket?: Socket,
		reset?: () => void,
	): void {
		{
			up.on('error', () => socket?.destroy() ?? res.destroy()); // e.g. "aborted" when a cut destroys it
			entry.status = up.statusCode;
			const outHeaders: http.OutgoingHttpHeaders = {};
			for (const [name, value] of Object.entries(up.headers)) {
				if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) outHeaders[name] = value;
			}
			if (action?.kind === 'rewriteResponseHeaders') action.rewrite(outHeaders);
			res.writeHead(up.statusCode ?? 502, up.statusMessage, outHeaders);
			if (action?.kind === 'pause' && action.afterBytes !== undefined) {
				// forward N body bytes, go silent for ms, then the rest
				const limit = action.afterBytes;
				let sent = 0;
				let paused = false;
				up.on('data', (chunk: Buffer) => {
					if (paused || sent + chunk.length <= limit) {
						sent += chunk.length;
						res.write(chunk);
						return;
					}
					const room = limit - sent;
					res.write(chunk.subarray(0, room));
					sent = limit;
					paused = true;
					up.pause();
					this.timer(action.ms, () => {
						res.write(chunk.subarray(room));
						up.resume();
					});
				});
				up.on('end', () => res.end());
				return;
			}
			if (action?.kind !== 'cutResponse' && action?.kind !== 'stallResponse') {
				up.pipe(res);
				return;
			}
			let sent = 0;
			let done = false;
			const cut = () => {
				if (done) return;
				done = true;
				up.destroy();
				if (action.kind === 'stallResponse') {
					// go silent; the client's socket stays open until it gives up (or the bound)
					this.timer(this.maxStallMs, () => socket?.destroy());
					return;
				}
				// let what was written reach the client before the reset
				this.timer(50, action.graceful ? () => socket?.end() : () => reset?.());
			};
			if (action.afterBytes <= 0) {
				res.flushHeaders();
				cut();
				return;
			}
			up.on('data', (chunk: Buffer) => {
				if (done) return;
				const room = action.afterBytes - sent;
				if (chunk.length >= room) {
					res.write(chunk.subarray(0, room));
					sent += room;
					cut();
					return;
				}
				sent += chunk.length;
				res.write(chunk);
			});
			up.on('end', () => {
				// the body was shorter than the cut point: it goes through whole
				if (!done) {
					done = true;
					res.end();
				}
			});
		}
	}
}
