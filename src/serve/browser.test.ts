// The dashboard in headless Chromium (Debian's chromium, driven by playwright-core): a real
// `lnas search` started during the test is followed live (each epoch on the page within 2 s of
// its metrics line being written), its finished page shows curves, α heatmaps and cells; paths
// out of the runs folder are refused; run and genotype names holding markup are shown as text.
//
// Chromium is required where CI runs (CI or LNAS_REQUIRE_CHROMIUM set: .ci/run installs it);
// elsewhere, without it, the suite is skipped with a message saying how to install it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type DashboardServer, startServer } from './server.js';
import { writeSyntheticEvolve, writeSyntheticSearch, writeSyntheticSweep } from './synthetic.js';

export const CHROMIUM = process.env.LNAS_CHROMIUM ?? '/usr/bin/chromium';
const required = Boolean(process.env.CI || process.env.LNAS_REQUIRE_CHROMIUM);
const have = existsSync(CHROMIUM);
if (!have && !required) console.log(`# skipped: the dashboard's browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set LNAS_CHROMIUM)`);

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const XSS_RUN = 'search-<img src=x onerror="window.__pwned=1">';
const XSS_OP = '<script>window.__pwned=2</script>';

const lines = (path: string): number => {
  try { return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length; } catch { return 0; }
};

describe('lnas serve in Chromium', { skip: !have && !required ? `no Chromium at ${CHROMIUM}` : false }, () => {
  let root: string;
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  before(async () => {
    assert.ok(have, `Chromium is required here (CI): ${CHROMIUM} is missing; apt-get install -y chromium`);
    root = mkdtempSync(join(tmpdir(), 'lnas-browser-'));
    writeSyntheticSearch(root, XSS_RUN, { epochs: 2, done: 2, opName: XSS_OP });
    writeSyntheticEvolve(root, { trials: 120, generations: 3, name: 'evolve-0123456789ab' });
    writeSyntheticSweep(root, { name: 'sweep-0123456789ab' });
    server = await startServer({ root });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('follows a search started during the test: each epoch is on the page within 2 s, then curves, heatmaps and cells', async () => {
    await page.goto(server.url);
    await page.waitForSelector('#runs-table');
    const epochs = 3;
    const child = spawn(process.execPath, [MAIN, 'search', '--dataset', 'synthetic', '--train-limit', '128', '--channels', '2', '--layers', '3', '--epochs', String(epochs),
      '--batch-size', '32', '--threads', '1', '--seed', '5', '--order', '1'], { env: { ...process.env, LNAS_RUNS_DIR: root }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      // The list shows the new run (an event, no reload), and its page follows it.
      const known = await page.$$eval('#runs-table tr[data-run]', (rs) => rs.map((r) => r.getAttribute('data-run') as string));
      const handle = await page.waitForFunction((old: string[]) => Array.from(document.querySelectorAll('#runs-table tr[data-run^="search-"]'))
        .map((r) => r.getAttribute('data-run') as string).find((n) => !old.includes(n)) ?? null, known, { timeout: 20_000 });
      const name = await handle.jsonValue() as string;
      await page.locator('#runs-table tr[data-run]', { has: page.locator(`a:text-is(${JSON.stringify(name)})`) }).locator('a').click();
      await page.waitForSelector(`#run-head[data-run="${name}"]`);
      // Page side: when each epoch's heatmap appeared (wall clock, as the file's mtime).
      await page.evaluate(() => {
        const seen: Record<string, number> = {};
        (window as unknown as { __epochSeen: Record<string, number> }).__epochSeen = seen;
        const check = () => { const e = document.querySelector('#epoch-label')?.getAttribute('data-epoch'); if (e && !(e in seen)) seen[e] = Date.now(); };
        new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
        check();
      });
      const metrics = join(root, name, 'metrics.jsonl');
      const written: number[] = [];
      while (written.length < epochs) {
        const n = lines(metrics);
        while (written.length < n) written.push(statSync(metrics).mtimeMs);
        if (written.length < epochs) {
          const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('poll'), 20))]);
          if (code !== 'poll' && lines(metrics) < epochs) assert.fail(`the search exited (${String(code)}) early: ${stderr.slice(-2000)}`);
        }
      }
      await page.waitForSelector(`#epoch-label[data-epoch="${epochs}"]`, { timeout: 5000 });
      const seen = await page.evaluate(() => (window as unknown as { __epochSeen: Record<string, number> }).__epochSeen);
      const lags = written.map((t, i) => (seen[String(i + 1)] ?? Infinity) - t);
      // Epoch 1 may already be there when the page opened; epochs 2.. are pushed while we watch.
      for (let i = 1; i < epochs; i++) assert.ok(lags[i] !== undefined && lags[i]! < 2000 && lags[i]! > -50, `epoch ${i + 1} reached the page ${lags[i]} ms after it was written`);
      console.log(`# update latency (file written -> page shows the epoch), epochs 2..${epochs}: ${lags.slice(1).map((l) => `${Math.round(l)} ms`).join(', ')}`);
      assert.equal(await exited, 0, stderr.slice(-2000));
      await page.waitForSelector('#run-head[data-status="finished"]', { timeout: 5000 });

      // Finished: four curves with a point per epoch, heatmaps of both cells, the final cells.
      for (const id of ['loss', 'accuracy', 'entropy', 'skip']) {
        const box = page.locator(`.chart[data-chart="${id}"]`);
        assert.equal(await box.getAttribute('data-points'), String(epochs), id);
        assert.equal(await box.locator('canvas').count(), 1, `${id} has a canvas`);
      }
      const shape = await page.$$eval('table.heatmap', (ts) => ts.map((t) => [t.getAttribute('data-cell'), t.querySelectorAll('tbody tr').length, t.querySelectorAll('tbody tr:first-child td').length]));
      assert.deepEqual(shape, [['normal', 14, 8], ['reduce', 14, 8]]);
      const summary = JSON.parse(readFileSync(join(root, name, 'summary.json'), 'utf8')) as { genotype: { normal: [string, number][]; reduce: [string, number][] } };
      for (const cell of ['normal', 'reduce'] as const) {
        const ops = await page.$$eval(`svg.cell-svg[data-cell="${cell}"] path[data-op]`, (ps) => ps.map((p) => p.getAttribute('data-op')));
        assert.deepEqual(ops, summary.genotype[cell].map(([op]) => op), `${cell} cell`);
      }
      // The heatmap scrubs back through the epochs.
      await page.fill('#alpha-epoch', '0');
      await page.waitForSelector('#epoch-label[data-epoch="1"]');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('answers 403/404 to paths out of the runs folder', async () => {
    const probes = ['files/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 'files/..%2f..%2f..%2fetc%2fpasswd', 'files/%2Fetc%2Fpasswd', 'files/../../../etc/passwd', 'api/runs/%2e%2e'];
    for (const p of probes) {
      const r = await page.goto(server.url + p);
      const status = r?.status() ?? 0;
      assert.ok(status === 403 || status === 404, `${p}: ${status}`);
      assert.ok(!(await page.content()).includes('root:x:'), `${p} leaked /etc/passwd`);
    }
    const ok = await page.goto(`${server.url}files/evolve-0123456789ab/summary.json`);
    assert.equal(ok?.status(), 200);
  });

  it('shows run and genotype names holding markup as text, running nothing', async () => {
    await page.goto(server.url);
    await page.waitForSelector('#runs-table');
    const cell = page.locator('#runs-table tr td a', { hasText: 'onerror' });
    assert.equal(await cell.textContent(), XSS_RUN);
    await cell.click();
    await page.waitForSelector('svg.cell-svg[data-cell="normal"]');
    const opTexts = await page.$$eval('svg.cell-svg text.op', (ts) => ts.map((t) => t.textContent));
    assert.ok(opTexts.includes(XSS_OP), 'the op name is drawn as text');
    assert.match(await page.locator('pre.genotype').textContent() ?? '', /<script>window.__pwned=2<\/script>/);
    const counts = await page.evaluate(() => ({ pwned: (window as unknown as { __pwned?: number }).__pwned ?? null, img: document.querySelectorAll('img').length, scripts: document.scripts.length }));
    assert.deepEqual(counts, { pwned: null, img: 0, scripts: 1 });
    assert.deepEqual(dialogs, []);
  });

  it('draws a sweep: Table 1 as it fills in, Figure 1, each run\'s cells', async () => {
    await page.goto(`${server.url}#/run/sweep-0123456789ab`);
    await page.waitForSelector('#table1 tbody tr');
    const rows = await page.$$eval('#table1 tbody tr', (rs) => rs.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 5).map((td) => td.textContent)));
    assert.deepEqual(rows, [['baseline', 'baseline (DARTS)', 'N/A', '38.00%', '46.00%'], ['v2-0.5', '2 (α pruning)', '0.5', '–', '–']]);
    assert.equal(await page.locator('.chart[data-chart="fig1-acc_full"] canvas').count(), 1);
    assert.equal(await page.locator('.sweep-run svg.cell-svg').count(), 4);
  });

  it('sorts the evolution\'s candidates by any column', async () => {
    await page.goto(`${server.url}#/run/evolve-0123456789ab`);
    await page.waitForSelector('#candidates .vrow');
    assert.equal(await page.getAttribute('#candidates', 'data-rows'), '120');
    // The virtualized rows are redrawn after each sort: wait for them before reading the first.
    const first = async () => { await page.waitForSelector('#candidates .vrow'); return page.$eval('#candidates .vrow', (r) => r.getAttribute('data-id')); };
    await page.click('.vhead [data-sort="id"]');
    await page.waitForSelector('#candidates[data-sort="id:asc"]');
    assert.equal(await first(), '1');
    await page.click('.vhead [data-sort="id"]');
    await page.waitForSelector('#candidates[data-sort="id:desc"]');
    assert.equal(await first(), '120');
    assert.ok(await page.locator('.chart[data-chart="evo-scatter"] canvas').count() === 1);
  });
});
