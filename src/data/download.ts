// HTTP(S) download into a temporary file with an MD5 check; the file appears at `dest`
// (by rename, which is atomic within a folder) only once its checksum is verified. Downloads go
// through the proxy that HTTPS_PROXY / HTTP_PROXY (or their lower-case forms) name, except for
// hosts in NO_PROXY: plain HTTP as an absolute-form request to the proxy, HTTPS through a
// CONNECT tunnel (TLS end to end, the certificate checked against the real host).

import { createHash } from 'node:crypto';
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { type ClientRequest, type IncomingMessage, get as httpGet, request as httpRequest } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { pipeline } from 'node:stream/promises';
import { DataError } from '../errors.js';

export interface FetchOptions {
  /** Give up when the connection is idle this long (ms). */
  timeoutMs?: number;
  maxRedirects?: number;
  onProgress?: (received: number, total: number | null) => void;
}

class ChecksumMismatch extends Error {}

let tmpCounter = 0;

/** Tries each URL in turn; throws LNAS_DATA_CHECKSUM or LNAS_DATA_DOWNLOAD if none works. */
export async function downloadVerified(urls: readonly string[], md5: string, dest: string, opts: FetchOptions = {}): Promise<void> {
  const failures: string[] = [];
  let badChecksum = false;
  for (const url of urls) {
    const tmp = `${dest}.part-${process.pid}-${++tmpCounter}`;
    try {
      const got = await fetchToFile(url, tmp, opts);
      if (got !== md5.toLowerCase()) throw new ChecksumMismatch(`MD5 ${got} does not match the expected ${md5}`);
      renameSync(tmp, dest);
      return;
    } catch (e) {
      rmSync(tmp, { force: true });
      if (e instanceof ChecksumMismatch) badChecksum = true;
      failures.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new DataError(
    badChecksum ? 'LNAS_DATA_CHECKSUM' : 'LNAS_DATA_DOWNLOAD',
    `download failed (${failures.join('; ')})`,
    { path: dest },
  );
}

/** Streams `url` into `path`, returning the MD5 (hex) of what was written. */
export async function fetchToFile(url: string, path: string, opts: FetchOptions = {}): Promise<string> {
  const res = await open(url, opts.timeoutMs ?? 30_000, opts.maxRedirects ?? 5);
  const header = res.headers['content-length'];
  const total = header === undefined ? null : Number(header);
  const hash = createHash('md5');
  let received = 0;
  // Open synchronously and wait for the close, so that no write can land after a failed
  // download's temporary file has been removed.
  const out = createWriteStream('', { fd: openSync(path, 'w') });
  try {
    await pipeline(
      res,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          hash.update(chunk);
          received += chunk.length;
          opts.onProgress?.(received, total);
          yield chunk;
        }
      },
      out,
    );
  } catch (e) {
    const lost = (e as Error).message === 'aborted' || (e as NodeJS.ErrnoException).code === 'ECONNRESET';
    throw lost ? new Error(`connection lost after ${received}${total === null ? '' : ` of ${total}`} bytes`) : e;
  } finally {
    if (!out.closed) await new Promise((resolve) => out.once('close', resolve));
  }
  if (total !== null && Number.isFinite(total) && received !== total) {
    throw new Error(`connection closed after ${received} of ${total} bytes`);
  }
  return hash.digest('hex');
}

type Env = Readonly<Record<string, string | undefined>>;

/** Whether NO_PROXY (a comma list of hosts, .domains, host:port or *) exempts `url`. */
export function noProxy(url: URL, env: Env = process.env): boolean {
  const list = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return list.some((entry) => {
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, '')) as RegExpExecArray;
    const name = (m[1] as string).replace(/^\*?\./, '');
    if (m[2] !== undefined && m[2] !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The proxy for `url` from the environment (HTTPS_PROXY for https:, HTTP_PROXY for http:), or null. */
export function proxyFor(url: URL, env: Env = process.env): URL | null {
  const raw = url.protocol === 'https:' ? env.HTTPS_PROXY ?? env.https_proxy : env.HTTP_PROXY ?? env.http_proxy;
  if (raw === undefined || raw.trim() === '' || noProxy(url, env)) return null;
  let proxy: URL;
  try { proxy = new URL(raw.includes('://') ? raw : `http://${raw}`); } catch {
    throw new Error(`the proxy ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'}=${raw.slice(0, 80)} is not a URL (expected http://host:port)`);
  }
  if (proxy.protocol !== 'http:') throw new Error(`proxy ${proxy.origin}: only http:// proxies are supported (got ${proxy.protocol})`);
  return proxy;
}

function proxyHeaders(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(auth).toString('base64')}` };
}

/** Starts a GET of `url`, directly or through the proxy; the callback gets the response. */
function startGet(url: URL, headers: Record<string, string>, timeoutMs: number, onResponse: (res: IncomingMessage) => void, onError: (e: Error) => void): void {
  const fail = (e: NodeJS.ErrnoException) => onError(new Error(e.code ? `${e.code} ${e.message}` : e.message));
  // Covers both connecting and a transfer that stalls part-way.
  const watch = (req: ClientRequest) => {
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
    req.on('error', fail);
  };
  const proxy = proxyFor(url);
  if (proxy === null) {
    watch((url.protocol === 'https:' ? httpsGet : httpGet)(url, { headers }, onResponse));
    return;
  }
  const via = { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) };
  if (url.protocol === 'http:') {
    watch(httpGet({ ...via, path: url.href, headers: { ...headers, host: url.host, ...proxyHeaders(proxy) } }, onResponse));
    return;
  }
  const target = `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || 443}`;
  const connect = httpRequest({ ...via, method: 'CONNECT', path: target, headers: { host: target, ...proxyHeaders(proxy) } });
  watch(connect);
  connect.on('connect', (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      onError(new Error(`proxy ${proxy.host} refused the tunnel to ${target}: HTTP ${res.statusCode ?? 0}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
      return;
    }
    connect.setTimeout(0);
    // One request per tunnel: the tunnel closes with the response (nothing keeps the process alive).
    const req = httpsGet(url, { headers: { ...headers, connection: 'close' }, agent: false, createConnection: () => tlsConnect({ socket, servername: url.hostname }) }, (r) => {
      r.once('close', () => socket.destroy());
      onResponse(r);
    });
    req.once('error', () => socket.destroy());
    watch(req);
  });
  connect.end();
}

function open(url: string, timeoutMs: number, redirectsLeft: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`invalid URL ${url}`));
      return;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      reject(new Error(`unsupported protocol ${parsed.protocol}`));
      return;
    }
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        res.resume();
        if (redirectsLeft <= 0) reject(new Error('too many redirects'));
        else open(new URL(location, parsed).toString(), timeoutMs, redirectsLeft - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new Error(`HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`));
        return;
      }
      resolve(res);
    };
    try { startGet(parsed, { 'user-agent': 'lnas-data' }, timeoutMs, onResponse, reject); } catch (e) { reject(e as Error); }
  });
}
