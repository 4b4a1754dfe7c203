// `lnas search --space nb201` end to end: SIGKILL mid-run and resume ends bit-identical; misuse is a typed error.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.js');
const TABLE = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201', 'nb201_full.csv');
const skip = existsSync(TABLE) ? false : `NAS-Bench-201 table not found at ${TABLE}; set LNAS_DATA_DIR`;
const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-nb201-'));
const env = (runs: string) => ({ ...process.env, LNAS_RUNS_DIR: runs, LNAS_DATA_DIR: dirname(dirname(TABLE)) });
const run = (args: string[], runs: string) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: env(runs) });
const ARGS = ['search', '--space', 'nb201', '--dataset', 'synthetic', '--train-limit', '256', '--channels', '4', '--cells-per-stage', '1', '--epochs', '3',
  '--batch-size', '32', '--alpha-lr', '0.05', '--alpha-sparsity', '0.5', '--alpha-every', '2', '--threads', '1', '--checkpoint-every', '1', '--seed', '3'];

test('nb201 search: killed with SIGKILL mid-epoch and resumed, it ends bit-identical to an uninterrupted run', { skip }, async () => {
  const [a, b] = [tmp(), tmp()];
  const first = run(ARGS, a);
  assert.equal(first.status, 0, first.stderr);
  const child = spawn(process.execPath, [main, ...ARGS], { env: env(b), stdio: 'ignore' });
  let exitCode: number | null | undefined;
  const exited = new Promise((resolve) => child.on('exit', (code) => { exitCode = code; resolve(code); }));
  for (;;) {
    const dirs = existsSync(b) ? readdirSync(b) : [];
    if (dirs.some((d) => existsSync(join(b, d, 'checkpoint.safetensors')))) break;
    if (exitCode !== undefined) throw new Error(`the run exited (code ${exitCode}) before its first checkpoint`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await exited;
  const dir = (root: string) => join(root, readdirSync(root)[0] as string);
  assert.ok(!existsSync(join(dir(b), 'summary.json')), 'killed before it finished');
  const second = run(ARGS, b);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /resumed at epoch/);
  const bytes = (root: string, f: string) => readFileSync(join(dir(root), f));
  const sha = (root: string, f: string) => createHash('sha256').update(new Uint8Array(bytes(root, f))).digest('hex');
  assert.equal(sha(b, 'model.safetensors'), sha(a, 'model.safetensors'), 'final weights and α differ');
  for (const f of ['alpha.json', 'arch.txt']) assert.equal(bytes(b, f).toString(), bytes(a, f).toString(), f);
  const metrics = (root: string) => bytes(root, 'metrics.jsonl').toString().replace(/"(epoch_time_s|images_per_s)":[^,}]+/g, '');
  assert.equal(metrics(b), metrics(a));
  // Each epoch's line carries the looked-up cell.
  const lines = bytes(a, 'metrics.jsonl').toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 3);
  for (const m of lines) {
    assert.match(String(m.arch), /^\|[a-z_0-9]+~0\|\+/);
    for (const k of ['cifar10_test', 'cifar100_test', 'imagenet16_test', 'params_mb', 'flops_m', 'alpha_entropy']) assert.equal(typeof m[k], 'number', k);
    assert.ok(Number(m.cifar10_test) >= 10 && Number(m.cifar10_test) <= 94.37);
  }
  assert.ok(Number(lines[2]!.alpha_alive) === 15, `Variant 2 at 0.5 leaves 15 of 30 entries, got ${lines[2]!.alpha_alive}`);
  const summary = JSON.parse(bytes(a, 'summary.json').toString()) as Record<string, unknown>;
  assert.equal(summary.arch, bytes(a, 'arch.txt').toString().trim());
  assert.match(bytes(a, 'report.md').toString(), /curve\.svg/);
  assert.match(bytes(a, 'curve.svg').toString(), /^<svg[^>]*>[\s\S]*CIFAR-100[\s\S]*<\/svg>\s*$/);
  // `lnas report` redraws the same report from metrics.jsonl.
  const report = run(['report', dir(a)], a);
  assert.equal(report.status, 0, report.stderr);
  assert.equal(report.stdout.trim(), bytes(a, 'report.md').toString().trim());
});

test('nb201 search: --alpha-warmup trains weights only (α untouched), then α moves', { skip }, () => {
  const runs = tmp();
  const r = run(['search', '--space', 'nb201', '--dataset', 'synthetic', '--train-limit', '128', '--channels', '2', '--cells-per-stage', '1', '--epochs', '2',
    '--batch-size', '32', '--alpha-lr', '0.1', '--alpha-warmup', '1', '--threads', '1'], runs);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(join(runs, readdirSync(runs)[0] as string, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((m) => m.alpha_updates), [false, true]);
  assert.equal(lines[0]!.arch_val_loss, null);
  assert.equal(typeof lines[1]!.arch_val_loss, 'number');
  // α starts at 1e-3·N(0, 1): its entropy is ln 5 to 5 digits until α is updated.
  assert.ok(Math.abs(Number(lines[0]!.alpha_entropy) - Math.log(5)) < 1e-5, String(lines[0]!.alpha_entropy));
  assert.ok(Number(lines[1]!.alpha_entropy) < Math.log(5) - 1e-3, String(lines[1]!.alpha_entropy));
});

test('nb201 misuse is a typed error without a stack trace (exit 2)', () => {
  const runs = tmp();
  for (const [args, pattern] of [
    [['search', '--space', 'nb201', '--layers', '5'], /LNAS_CONFIG.*--layers is for the DARTS space/],
    [['search', '--cells-per-stage', '2', '--dataset', 'synthetic'], /--cells-per-stage is for --space nb201/],
    [['search', '--space', 'nb201', '--epochs', '2', '--alpha-warmup', '2'], /--alpha-warmup 2 leaves no epoch/],
    [['darts', '--space', 'nb201', '--dataset', 'synthetic'], /only `lnas search --space nb201`/],
    [['bench', 'nb201-search', '--method', 'v2', '--seeds', '1'], /--method v2 needs --sparsity/],
    [['bench', 'nb201-search', '--method', 'darts1', '--sparsity', '0.5'], /--sparsity is Variant 2's/],
  ] as [string[], RegExp][]) {
    const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs, LNAS_OFFLINE: '1' }, timeout: 60_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(readdirSync(runs).filter((d) => d.startsWith('search-')), [], 'no run folder left by a refused search');
});
