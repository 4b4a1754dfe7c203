// Screenshots of the dashboard's three main views into docs/ (run after the build):
//   node scripts/screenshots.mjs
// The runs folder is synthetic (src/serve/synthetic.ts: the files lnas writes, values drawn at
// random) so that α visibly moves; `lnas serve` draws real folders the same way.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startServer } from '../dist/serve/server.js';
import { writeSyntheticEvolve, writeSyntheticSearch } from '../dist/serve/synthetic.js';

const root = mkdtempSync(join(tmpdir(), 'lnas-shots-'));
writeSyntheticSearch(root, 'search-3f9c2a71be04', { epochs: 12, done: 12, seed: 3 });
writeSyntheticSearch(root, 'search-a41be2d0c9f3', { epochs: 50, done: 9, seed: 4 });
writeSyntheticSearch(root, 'search-77d0e1f2a6b5', { epochs: 20, done: 6, seed: 5 });
writeSyntheticEvolve(root, { trials: 2000, generations: 10, seed: 11, running: true, name: 'evolve-c675089a9f3b' });
mkdirSync(join(root, 'train-0b1c2d3e4f50'));
writeFileSync(join(root, 'train-0b1c2d3e4f50', 'config.json'), JSON.stringify({ kind: 'train', data: { dataset: 'cifar10' }, optim: { epochs: 4 } }));
writeFileSync(join(root, 'train-0b1c2d3e4f50', 'metrics.jsonl'), [1, 2, 3].map((e) => JSON.stringify({ stage: 'train', epoch: e, train_loss: 2 - 0.3 * e, train_acc: 0.2 + 0.1 * e, test_acc: 0.25 + 0.08 * e, epoch_time_s: 60 })).join('\n') + '\n');
// One search "running": a live process holds its lock.
const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', 'lnas-screenshot-holder'], { stdio: 'ignore' });
writeFileSync(join(root, 'search-a41be2d0c9f3', 'run.lock'), JSON.stringify({ pid: holder.pid, what: 'lnas-screenshot-holder' }));
writeFileSync(join(root, 'evolve-c675089a9f3b', 'evolve.lock'), JSON.stringify({ pid: holder.pid, what: 'lnas-screenshot-holder' }));

const server = await startServer({ root });
const browser = await chromium.launch({ executablePath: process.env.LNAS_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
try {
  await page.goto(server.url);
  await page.waitForSelector('#runs-table tbody tr');
  await page.screenshot({ path: 'docs/serve-runs.png' });
  await page.goto(`${server.url}#/run/search-3f9c2a71be04`);
  await page.waitForSelector('table.heatmap');
  await page.screenshot({ path: 'docs/serve-search.png', fullPage: true });
  await page.goto(`${server.url}#/run/evolve-c675089a9f3b`);
  await page.waitForSelector('#candidates .vrow');
  await page.click('#candidates .vrow');
  await page.waitForSelector('.picked');
  await page.screenshot({ path: 'docs/serve-evolution.png', fullPage: true });
} finally {
  await browser.close();
  await server.close();
  holder.kill();
  rmSync(root, { recursive: true, force: true });
}
console.log('wrote docs/serve-runs.png, docs/serve-search.png, docs/serve-evolution.png');
