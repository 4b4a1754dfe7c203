// HTTP(S) download into a temporary file with an MD5 check; the file appears at `dest`
// (by rename, which is atomic within a folder) only once its checksum is verified.

import { createHash } from 'node:crypto';
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
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

function open(url: string, timeoutMs: number, redirectsLeft: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`invalid URL ${url}`));
      return;
    }
    const get = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : null;
    if (get === null) {
      reject(new Error(`unsupported protocol ${parsed.protocol}`));
      return;
    }
    const req = get(parsed, { headers: { 'user-agent': 'lnas-data' } }, (res) => {
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
    });
    // Covers both connecting and a transfer that stalls part-way.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code ? `${e.code} ${e.message}` : e.message)));
  });
}
