// End-to-end: a tiny synthetic sweep through the CLI, SIGKILLed mid-way and run again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ProgressFile, SweepFile } from './sweep-file.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const workers = String(Math.min(2, availableParallelism()));
const SWEEP = ['sweep', '--dataset', 'synthetic', '--train-limit', '160', '--val-size', '32', '--test-limit', '32', '--search-images', '64', '--search-channels', '2', '--search-layers', '3',
  '--search-epochs', '1', '--search-batch-size', '32', '--channels', '4', '--layers', '3', '--epochs', '2', '--batch-size', '32', '--sparsities', '0.5',
  '--variants', 'v1,v2', '--workers', workers, '--threads', '1', '--checkpoint-every', '1'];

const read = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;
const summaries = (runs: string) => readdirSync(runs).filter((d) => /^(search|train)-/.test(d) && existsSync(join(runs, d, 'summary.json')));

// No fixed wait for the first stage: on a loaded machine it may take minutes. The test waits for
// the event itself (a stage's summary.json, or the sweep exiting first), bounded only by the
// test's own generous timeout.
test('sweep: killed with SIGKILL and run again, it finishes without redoing finished stages; shared stages run once', { timeout: 20 * 60_000 }, async () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-sweep-'));
  const env = { ...process.env, LNAS_RUNS_DIR: runs };
  const child = spawn(process.execPath, [main, ...SWEEP], { env, stdio: 'ignore' });
  let exitCode: number | null | undefined;
  const exited = new Promise((r) => child.on('exit', (code) => { exitCode = code; r(code); }));
  while (summaries(runs).length === 0) {
    if (exitCode !== undefined) throw new Error(`the sweep exited (code ${exitCode}) before any stage finished`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
  const finishedBefore = new Map(summaries(runs).map((d) => [join(runs, d), statSync(join(runs, d, 'summary.json')).mtimeMs]));

  const r = spawnSync(process.execPath, [main, ...SWEEP], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const sweepDir = join(runs, readdirSync(runs).find((d) => d.startsWith('sweep-')) as string);
  const plan = read<SweepFile>(join(sweepDir, 'sweep.json'));
  const progress = read<ProgressFile>(join(sweepDir, 'progress.json'));
  assert.ok(finishedBefore.size < plan.stages.length, 'the kill came before the end');

  // The plan: baseline + v1 + v2 at one level; v1 retrains the baseline's genotype.
  assert.deepEqual(plan.runs.map((x) => x.name), ['baseline', 'v1-p0.5', 'v2-p0.5']);
  assert.equal(plan.metric, 'val', '--val-size > 0: Table 1 uses the validation split');
  const run = (n: string) => plan.runs.find((x) => x.name === n)!;
  assert.equal(run('v1-p0.5').search.dir, run('baseline').search.dir);
  assert.notEqual(run('v2-p0.5').search.dir, run('baseline').search.dir);
  // Every stage folder exists once: no search or retraining ran twice in different folders.
  const folders = (kind: string) => readdirSync(runs).filter((d) => d.startsWith(`${kind}-`)).map((d) => join(runs, d)).sort();
  assert.deepEqual(folders('search'), [...new Set(plan.runs.map((x) => x.search.dir))].sort());
  assert.deepEqual(folders('train'), [...new Set(plan.runs.map((x) => x.train.dir as string))].sort());
  for (const [id, s] of Object.entries(progress.stages)) {
    assert.equal(s.status, 'done', id);
    assert.ok(existsSync(join(s.dir as string, 'summary.json')), id);
    if (finishedBefore.has(s.dir as string)) {
      assert.equal(s.launches, 1, `${id} finished before the kill and was not started again`);
      assert.equal(statSync(join(s.dir as string, 'summary.json')).mtimeMs, finishedBefore.get(s.dir as string));
    } else if (!s.same_as) {
      assert.ok(s.launches >= 1 && s.launches <= 2, `${id}: ${s.launches} launches`);
    }
  }
  // The baseline search serves two runs but is one stage: one launch, or two if the kill interrupted it.
  assert.equal(plan.stages.filter((st) => st.kind === 'search').length, 2);
  assert.deepEqual(plan.stages.find((st) => st.id === 'search-baseline')!.runs, ['baseline', 'v1-p0.5']);
  assert.equal(progress.stages['search-baseline']!.launches, finishedBefore.has(run('baseline').search.dir) ? 1 : 2);

  // Report files.
  for (const f of ['table1.md', 'table1.csv', 'table1.json', 'figure1.svg', 'report.html']) assert.ok(existsSync(join(sweepDir, f)), f);
  const table = read<{ run: string; acc_full: number | null }[]>(join(sweepDir, 'table1.json'));
  assert.deepEqual(table.map((x) => x.run), ['baseline', 'v1-p0.5', 'v2-p0.5']);
  for (const row of table) assert.equal(typeof row.acc_full, 'number', row.run);
  assert.match(readFileSync(join(sweepDir, 'report.html'), 'utf8'), /normal cell[\s\S]*reduction cell/);

  // A third run starts nothing at all.
  const again = spawnSync(process.execPath, [main, ...SWEEP], { env, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  const after = read<ProgressFile>(join(sweepDir, 'progress.json'));
  for (const [id, s] of Object.entries(after.stages)) assert.equal(s.launches, progress.stages[id]!.launches, id);
  assert.doesNotMatch(again.stderr, /started ->/);
});

test('sweep and report: user mistakes are typed errors without a stack trace', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-sweep-bad-'));
  for (const [args, pattern] of [
    [['sweep', '--variants', 'v1,v9'], /LNAS_CONFIG.*unknown variant "v9"/],
    [['sweep', '--workers', String(availableParallelism() + 1)], /LNAS_CONFIG.*cores/],
    [['sweep', '--sparsity', '0.5'], /unknown option --sparsity/],
    [['report'], /LNAS_CONFIG.*usage: lnas report/],
    [['report', join(runs, 'nothing')], /LNAS_NOT_A_SWEEP/],
    [['__trial'], /LNAS_CONFIG/],
  ] as [string[], RegExp][]) {
    const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /sweep/);
  assert.doesNotMatch(help.stdout, /__trial/, 'the worker command is hidden');
});

test('sweep: failed stages are reported, block only the runs that need them, and leave a report', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-sweep-fail-'));
  const args = ['sweep', '--data-dir', join(runs, 'no-data'), '--sparsities', '0.5', '--variants', 'v2', '--workers', '1', '--threads', '1'];
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs, LNAS_OFFLINE: '1' } });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /\[search-baseline\] FAILED .*LNAS_DATA|\[search-baseline\] FAILED/);
  assert.match(r.stderr, /\[train-baseline-dense\] skipped .*search-baseline failed/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const sweepDir = join(runs, readdirSync(runs).find((d) => d.startsWith('sweep-')) as string);
  const progress = read<ProgressFile>(join(sweepDir, 'progress.json'));
  assert.deepEqual(Object.values(progress.stages).map((s) => s.status).sort(), ['blocked', 'blocked', 'failed', 'failed']);
  assert.match(progress.stages['search-baseline']!.error ?? '', /trial search-baseline failed/);
  assert.ok(existsSync(join(sweepDir, 'report.html')));
});
