// Slow end-to-end: Algorithm 3 and two searches that derive the same genotype.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ProgressFile, SweepFile } from './sweep-file.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

test('sweep: searches that derive the same genotype share one retraining; alg3 shares v2\'s search', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-sweep-slow-'));
  // α sparsity 0.001 prunes round(224 × 0.001) = 0 entries: the search is the baseline's, in
  // another folder, so its dense retraining has the baseline's identity.
  const args = ['sweep', '--dataset', 'synthetic', '--train-limit', '128', '--val-size', '0', '--test-limit', '32', '--search-images', '64', '--search-channels', '2',
    '--search-layers', '3', '--search-epochs', '1', '--search-batch-size', '32', '--channels', '4', '--layers', '3', '--epochs', '2', '--batch-size', '32',
    '--sparsities', '0.001', '--variants', 'v2,alg3', '--workers', String(Math.min(2, availableParallelism())), '--threads', '1'];
  const r = spawnSync(process.execPath, [main, ...args], { env: { ...process.env, LNAS_RUNS_DIR: runs }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const sweepDir = join(runs, readdirSync(runs).find((d) => d.startsWith('sweep-')) as string);
  const plan = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8')) as SweepFile;
  const progress = JSON.parse(readFileSync(join(sweepDir, 'progress.json'), 'utf8')) as ProgressFile;
  const run = (n: string) => plan.runs.find((x) => x.name === n)!;
  assert.equal(run('alg3-p0.001').search.dir, run('v2-p0.001').search.dir);
  assert.notEqual(run('v2-p0.001').search.dir, run('baseline').search.dir);
  const genotype = (dir: string) => readFileSync(join(dir, 'genotype.json'), 'utf8');
  assert.equal(genotype(run('v2-p0.001').search.dir), genotype(run('baseline').search.dir), 'no α entry was pruned');
  assert.equal(run('v2-p0.001').train.dir, run('baseline').train.dir);
  // Whichever search finished first claimed the folder; the other stage shares it.
  const [a, b] = [progress.stages['train-alpha0.001-dense']!, progress.stages['train-baseline-dense']!];
  const twin = a.same_as === 'train-baseline-dense' ? a : b;
  assert.equal(twin.same_as, twin === a ? 'train-baseline-dense' : 'train-alpha0.001-dense');
  assert.equal(twin.launches, 0);
  assert.equal((twin === a ? b : a).launches, 1);
  assert.equal(readdirSync(runs).filter((d) => d.startsWith('train-')).length, 2, 'baseline-dense (shared) and alg3');
  assert.match(r.stderr, /is the same retraining as train-(baseline|alpha0\.001)-dense/);
});
