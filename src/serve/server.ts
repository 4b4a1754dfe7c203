// `lnas serve`: a read-only dashboard over a runs folder. node:http serves the front end (built
// at package build time into dist/serve/public/), a JSON API over the run folders and one
// server-sent-event stream. Changes reach the pages through fs.watch on the runs folder and on
// each run folder, debounced into one event per burst, shared by every client: no client makes
// the server read the whole folder again. Parsed rows and run details are cached until a watch
// event names their folder. A running run is re-checked every couple of seconds for a lock
// whose process died (SIGKILL leaves no file event).
import { type FSWatcher, existsSync, readFileSync, readdirSync, statSync, watch } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { type RunRow, candidateOf, isTrialFolder, listFolders, runDetail, runRow } from './runs.js';
import { badSegment, decodeSegments, resolveUnder } from './safe-path.js';

export interface ServeOptions {
  root: string;
  host?: string;
  port?: number;
  /** The built front end (index.html, app.js, app.css); default dist/serve/public next to this file. */
  assets?: string;
  /** Debounce of watch events before they are pushed (ms). */
  debounceMs?: number;
  /** How often running runs are checked for a dead lock holder (ms). */
  livenessMs?: number;
}

export interface DashboardServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
  /** Number of fs.watch watchers held (one for the runs folder, one per run folder). */
  watchers(): number;
}

export const DEFAULT_ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'public');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png' };

/** Content types of run files: text is served as plain text (never HTML), SVG sandboxed. */
function fileType(path: string): string {
  const ext = extname(path).toLowerCase();
  if (['.json', '.jsonl', '.md', '.txt', '.csv', '.log'].includes(ext)) return 'text/plain; charset=utf-8';
  if (ext === '.svg') return 'image/svg+xml';
  return 'application/octet-stream';
}

function loadAssets(dir: string): Map<string, Buffer> {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new DataError('LNAS_SERVE_ASSETS', `the dashboard's front end is not built (${join(dir, 'index.html')} is missing); run \`npm run build\` (or node scripts/build-web.mjs) in the lnas checkout`, { path: dir });
  }
  const m = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isFile()) m.set(name, readFileSync(p));
  }
  return m;
}

export async function startServer(o: ServeOptions): Promise<DashboardServer> {
  const root = resolve(o.root);
  let st;
  try { st = statSync(root); } catch { st = null; }
  if (!st?.isDirectory()) throw new DataError('LNAS_RUNS_DIR', `the runs folder ${root} does not exist or is not a folder; pass the folder that holds your run folders (default ./runs or LNAS_RUNS_DIR)`, { path: root });
  const host = o.host ?? '127.0.0.1';
  const assets = loadAssets(o.assets ?? DEFAULT_ASSETS);
  const debounceMs = o.debounceMs ?? 50;

  // ---- state: cached rows and details, invalidated by watch events ----
  const rows = new Map<string, RunRow>();
  const details = new Map<string, { json: Buffer; gz: Buffer }>();
  let folders = listFolders(root);
  const rowOf = (name: string): RunRow => {
    let r = rows.get(name);
    if (!r) { r = runRow(root, name); rows.set(name, r); }
    return r;
  };

  // ---- watching ----
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let rootChanged = false;
  let timer: NodeJS.Timeout | null = null;
  const clients = new Set<ServerResponse>();
  const schedule = () => { if (!timer) timer = setTimeout(flush, debounceMs); };
  const changed = (name: string) => { pending.add(name); schedule(); };
  const watchRun = (name: string) => {
    if (watchers.has(name) || isTrialFolder(name)) return;
    try {
      const w = watch(join(root, name), { persistent: false }, () => changed(name));
      w.on('error', () => { w.close(); watchers.delete(name); changed(name); });
      watchers.set(name, w);
    } catch { /* gone already, or not a folder */ }
  };
  const rootWatcher = watch(root, { persistent: false }, (_event, file) => {
    rootChanged = true;
    if (file && !isTrialFolder(file)) changed(file); else schedule();
  });
  for (const name of folders.runs) watchRun(name);

  function flush(): void {
    timer = null;
    const names = [...pending];
    pending.clear();
    let removed: string[] = [];
    if (rootChanged) {
      rootChanged = false;
      const before = new Set(folders.runs);
      folders = listFolders(root);
      const now = new Set(folders.runs);
      removed = [...before].filter((n) => !now.has(n));
      for (const n of removed) { rows.delete(n); details.delete(n); watchers.get(n)?.close(); watchers.delete(n); }
      for (const n of folders.runs) if (!before.has(n)) { watchRun(n); names.push(n); }
    }
    const live = new Set(folders.runs);
    const updated: RunRow[] = [];
    for (const n of new Set(names)) {
      if (!live.has(n)) continue;
      rows.delete(n); details.delete(n);
      updated.push(rowOf(n));
    }
    if (updated.length === 0 && removed.length === 0 && names.length === 0) return;
    broadcast('runs', { rows: updated, removed, trials: folders.trials });
  }

  // A killed run leaves no file event: re-check the locks of running runs now and then.
  const liveness = setInterval(() => {
    for (const [name, r] of rows) {
      if (r.status !== 'running') continue;
      const now = runRow(root, name);
      if (now.status !== r.status) changed(name);
    }
  }, o.livenessMs ?? 2000);
  liveness.unref();
  const heartbeat = setInterval(() => { for (const c of clients) c.write(': keep-alive\n\n'); }, 15_000);
  heartbeat.unref();

  function broadcast(event: string, data: unknown): void {
    const msg = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(msg);
  }

  // ---- HTTP ----
  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', ...extra });
    res.end(body);
  };
  const sendJson = (req: IncomingMessage, res: ServerResponse, cached: { json: Buffer; gz: Buffer }) => {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    send(res, 200, gzip ? cached.gz : cached.json, 'application/json; charset=utf-8', gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : { vary: 'accept-encoding' });
  };
  const packJson = (v: unknown) => { const text = JSON.stringify(v); return { json: Buffer.from(text), gz: gzipSync(text, { level: 1 }) }; };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'read-only: GET only\n', undefined, { allow: 'GET, HEAD' });
    // DNS rebinding: on a loopback address, only pages served from a loopback name may call us.
    if (LOOPBACK.has(host)) {
      const h = String(req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      if (!LOOPBACK.has(h)) return send(res, 403, 'forbidden host\n');
    }
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    const segs = decodeSegments(rawPath);
    if (segs === null) return send(res, 400, 'bad path encoding\n');
    const [head, ...rest] = segs;
    if (rawPath === '/' || rawPath === '/index.html') {
      return send(res, 200, assets.get('index.html') as Buffer, TYPES['.html'], { 'content-security-policy': PAGE_CSP });
    }
    if (rawPath === '/favicon.ico') return send(res, 204, '');
    if (head === 'assets' && rest.length === 1) {
      const a = assets.get(rest[0] as string);
      if (!a || badSegment(rest[0] as string)) return send(res, 404, 'not found\n');
      return send(res, 200, a, TYPES[extname(rest[0] as string)] ?? 'application/octet-stream', { 'cache-control': 'no-cache' });
    }
    if (head === 'api') {
      if (rest.length === 1 && rest[0] === 'runs') {
        return sendJson(req, res, packJson({ root, runs: folders.runs.map(rowOf), trials: folders.trials }));
      }
      if (rest.length === 2 && rest[0] === 'runs') {
        const name = rest[1] as string;
        if (badSegment(name)) return send(res, 403, 'forbidden\n');
        if (!folders.runs.includes(name)) return send(res, 404, 'no such run\n');
        let d = details.get(name);
        if (!d) { d = packJson(runDetail(root, name)); details.set(name, d); }
        return sendJson(req, res, d);
      }
      if (rest.length === 4 && rest[0] === 'runs' && rest[2] === 'candidate') {
        const name = rest[1] as string;
        if (badSegment(name)) return send(res, 403, 'forbidden\n');
        if (!folders.runs.includes(name) || !/^\d{1,7}$/.test(rest[3] as string)) return send(res, 404, 'no such candidate\n');
        const c = candidateOf(root, name, Number(rest[3]));
        return c ? sendJson(req, res, packJson(c)) : send(res, 404, 'no such candidate\n');
      }
      if (rest.length === 1 && rest[0] === 'events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
        res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ trials: folders.trials })}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      return send(res, 404, 'no such API\n');
    }
    if (head === 'files') {
      const r = resolveUnder(root, rest);
      if (!r.ok) return send(res, r.status, `${r.why}\n`);
      const type = fileType(r.path);
      return send(res, 200, readFileSync(r.path), type, {
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ...(type === 'application/octet-stream' ? { 'content-disposition': 'attachment' } : {}),
      });
    }
    return send(res, 404, 'not found\n');
  }

  const server: Server = createServer((req, res) => {
    try { handle(req, res); } catch (e) {
      if (!res.headersSent) send(res, 500, `internal error: ${String((e as Error).message).slice(0, 200)}\n`);
      else res.end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE'
      ? new DataError('LNAS_SERVE_PORT', `port ${o.port} on ${host} is in use; pick another with --port`, {})
      : new DataError('LNAS_SERVE_LISTEN', `cannot listen on ${host}:${o.port ?? 0}: ${e.message}`, {})));
    server.listen(o.port ?? 0, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`, port, host,
    watchers: () => watchers.size + 1,
    close: async () => {
      clearInterval(liveness); clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      rootWatcher.close();
      for (const w of watchers.values()) w.close();
      for (const c of clients) c.end();
      clients.clear();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
