// `lnas bench serve`: the dashboard at scale. Writes a synthetic runs folder with N evolution
// trials (candidates.json with full genomes as `lnas evolve` writes it, one mcand-<hash> folder
// per trial), runs `lnas serve` on it in its own process, and loads the evolution's page in
// headless Chromium: the first load (the server parses the folder cold), then warm loads, each in
// a fresh browser context (no cache); then the update latency (a trial appended, as lnas writes
// it, until the page shows it); and the server process's memory (VmRSS now, VmHWM peak).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LnasError } from '../errors.js';
import { writeSyntheticEvolve, writeSyntheticSearch } from './synthetic.js';

export interface ServeBenchOptions { trials: number; repeats: number; updates: number; seed: number; chromium?: string }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] as number : ((s[m - 1] as number) + (s[m] as number)) / 2; };
const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

function procMemory(pid: number): { rss_mb: number; peak_rss_mb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss_mb: kb('VmRSS') / 1024, peak_rss_mb: kb('VmHWM') / 1024 };
}

function startServe(root: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'serve', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
    child.once('exit', (code) => reject(new Error(`lnas serve exited (${code}): ${err.slice(-1000)}`)));
  });
}

export async function benchServe(o: ServeBenchOptions): Promise<Record<string, unknown>> {
  const chromiumPath = o.chromium ?? process.env.LNAS_CHROMIUM ?? '/usr/bin/chromium';
  let pw: typeof import('playwright-core');
  try { pw = await import('playwright-core'); } catch {
    throw new LnasError('LNAS_BENCH_BROWSER', 'lnas bench serve drives Chromium through playwright-core, which is not installed; run npm install in the lnas checkout');
  }
  try { statSync(chromiumPath); } catch {
    throw new LnasError('LNAS_BENCH_BROWSER', `no Chromium at ${chromiumPath}; apt-get install -y chromium, or set LNAS_CHROMIUM`);
  }
  const root = mkdtempSync(join(tmpdir(), 'lnas-bench-serve-'));
  let server: ChildProcess | null = null;
  const browser = await pw.chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const t0 = performance.now();
    const generations = Math.max(1, Math.round(o.trials / 200));
    const evolveDir = writeSyntheticEvolve(root, { trials: o.trials, generations, seed: o.seed, running: true, name: 'evolve-5ca1ab1e0000' });
    writeSyntheticSearch(root, 'search-5ca1ab1e0001', { epochs: 10, done: 10 });
    writeSyntheticSearch(root, 'search-5ca1ab1e0002', { epochs: 10, done: 4 });
    const generateSeconds = (performance.now() - t0) / 1000;
    const candidatesBytes = statSync(join(evolveDir, 'candidates.json')).size;
    const started = await startServe(root);
    server = started.child;
    const idle = procMemory(server.pid as number);
    const page = `${started.url}#/run/evolve-5ca1ab1e0000`;

    /** ms from navigation start until the table shows rows and the scatter is drawn (the page's own clock). */
    const load = async (url: string, selector: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const p = await ctx.newPage();
      await p.goto(url);
      await p.waitForSelector(selector, { timeout: 120_000 });
      const ms = await p.evaluate(() => performance.now());
      const bytes = await p.evaluate(() => performance.getEntriesByType('resource').reduce((a, e) => a + ((e as PerformanceResourceTiming).transferSize || 0), 0));
      return { ms, bytes, ctx, p };
    };
    const ready = '#candidates .vrow';
    const first = await load(page, ready);
    await first.ctx.close();
    const warm: number[] = [];
    let transfer = 0;
    for (let i = 0; i < o.repeats; i++) {
      const r = await load(page, ready);
      warm.push(r.ms); transfer = r.bytes;
      await r.ctx.close();
    }
    const list = await load(started.url, '#runs-table tbody tr');
    await list.ctx.close();
    const afterLoads = procMemory(server.pid as number);

    // Updates: one more trial, written the way lnas writes candidates.json (temp file, rename).
    const live = await load(page, ready);
    const lat: number[] = [];
    const file = join(evolveDir, 'candidates.json');
    let records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    for (let u = 0; u < o.updates; u++) {
      const next = { ...records[records.length - 1], id: records.length + 1 };
      records = [...records, next];
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(records));
      const before = Date.now();
      renameSync(tmp, file);
      await live.p.waitForSelector(`#candidates[data-rows="${records.length}"]`, { timeout: 60_000 });
      const shown = await live.p.evaluate(() => Date.now());
      lat.push(shown - before);
    }
    await live.ctx.close();
    const end = procMemory(server.pid as number);
    return {
      impl: 'lnas', model: 'serve', trials: o.trials, generations, candidates_json_mb: candidatesBytes / 2 ** 20, generate_s: generateSeconds,
      first_load_ms: first.ms, warm_load_ms_median: median(warm), warm_load_ms: warm, list_load_ms: list.ms, page_transfer_kb: transfer / 1024,
      update_latency_ms_median: lat.length ? median(lat) : null, update_latency_ms: lat,
      server_rss_mb: { idle: idle.rss_mb, after_loads: afterLoads.rss_mb, end: end.rss_mb, peak: end.peak_rss_mb },
      chromium: chromiumPath, browser_version: browser.version(),
    };
  } finally {
    await browser.close();
    server?.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}
