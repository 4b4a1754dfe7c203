// End-to-end: the CLI on temporary folders, including SIGKILL mid-run and resume.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-cli-'));
const run = (args: string[], runs: string) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });

const TRAIN = ['train', '--dataset', 'synthetic', '--train-limit', '384', '--test-limit', '64', '--width', '8', '--batch-size', '32', '--epochs', '2',
  '--threads', '1', '--checkpoint-every', '3', '--seed', '5'];
const SEARCH = ['search', '--dataset', 'synthetic', '--train-limit', '256', '--channels', '2', '--layers', '3', '--epochs', '2',
  '--batch-size', '32', '--threads', '1', '--checkpoint-every', '1', '--seed', '5', '--order', '1'];

/** Starts the CLI, SIGKILLs it as soon as a mid-epoch checkpoint exists, then reruns it to completion. */
async function killAndResume(args: string[], runs: string): Promise<void> {
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, LNAS_RUNS_DIR: runs }, stdio: 'ignore' });
  let exitCode: number | null | undefined;
  const exited = new Promise((resolve) => child.on('exit', (code) => { exitCode = code; resolve(code); }));
  // Waits for the event (a checkpoint, or the run ending first), not for a fixed time: a loaded machine is slow.
  for (;;) {
    const dirs = existsSync(runs) ? readdirSync(runs) : [];
    if (dirs.some((d) => existsSync(join(runs, d, 'checkpoint.safetensors')))) break;
    if (exitCode !== undefined) throw new Error(`the run exited (code ${exitCode}) before its first checkpoint`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
  const dir = readdirSync(runs)[0] as string;
  assert.ok(!existsSync(join(runs, dir, 'summary.json')), 'the run was killed before it finished');
  const r = run(args, runs);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resumed at epoch/);
}

test('train: a run killed with SIGKILL and resumed ends bit-identical to an uninterrupted run', async () => {
  const [a, b] = [tmp(), tmp()];
  assert.equal(run(TRAIN, a).status, 0);
  await killAndResume(TRAIN, b);
  const file = (root: string) => createHash('sha256').update(new Uint8Array(readFileSync(join(root, readdirSync(root)[0] as string, 'model.safetensors')))).digest('hex');
  assert.equal(file(b), file(a), 'final weights differ');
  const metrics = (root: string) => readFileSync(join(root, readdirSync(root)[0] as string, 'metrics.jsonl'), 'utf8').trim().split('\n');
  assert.equal(metrics(b).length, 2, 'one metrics line per epoch, no duplicates after resume');
});

test('train: Ctrl-C (SIGINT) stops at the next step with a checkpoint and exit code 130; the same command resumes bit-identical', async () => {
  // A DARTS network, slow enough (seconds) that the signal lands mid-run.
  const args = ['train', '--dataset', 'synthetic', '--train-limit', '256', '--test-limit', '32', '--genotype', 'DARTS_V2', '--channels', '4', '--layers', '3',
    '--batch-size', '32', '--epochs', '2', '--threads', '1', '--checkpoint-every', '0', '--seed', '5'];
  const [a, b] = [tmp(), tmp()];
  assert.equal(run(args, a).status, 0);
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, LNAS_RUNS_DIR: b }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The run folder appears once the data is loaded and training starts; then ask it to stop.
  while (!(existsSync(b) && readdirSync(b).some((d) => existsSync(join(b, d, 'config.json'))))) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGINT');
  const code = await exited;
  const dir = join(b, readdirSync(b)[0] as string);
  assert.ok(!existsSync(join(dir, 'summary.json')), 'the run stopped before it finished');
  assert.equal(code, 130, stderr);
  assert.match(stderr, /SIGINT: stopping at this step/);
  assert.match(stderr, /stopped at epoch \d+, step \d+; checkpoint saved in .*run the same command again to resume/);
  assert.doesNotMatch(stderr, /internal error|at .*\.js:\d+/, 'no stack trace');
  // --checkpoint-every 0 writes checkpoints only at epoch ends: the one there now is the stop's.
  assert.ok(existsSync(join(dir, 'checkpoint.safetensors')));
  const again = run(args, b);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /resumed at epoch \d+, step [1-9]/);
  const file = (root: string) => createHash('sha256').update(new Uint8Array(readFileSync(join(root, readdirSync(root)[0] as string, 'model.safetensors')))).digest('hex');
  assert.equal(file(b), file(a), 'final weights differ');
});

test('train with drop-path: a genotype run killed mid-epoch and resumed ends bit-identical (the ramp is restored)', async () => {
  const args = ['train', '--dataset', 'synthetic', '--train-limit', '256', '--test-limit', '32', '--genotype', 'DARTS_V2', '--channels', '4', '--layers', '3',
    '--drop-path', '0.3', '--batch-size', '32', '--epochs', '2', '--threads', '1', '--checkpoint-every', '2', '--seed', '5'];
  const [a, b] = [tmp(), tmp()];
  const first = run(args, a);
  assert.equal(first.status, 0, first.stderr);
  await killAndResume(args, b);
  const file = (root: string, f: string) => readFileSync(join(root, readdirSync(root)[0] as string, f));
  assert.equal(createHash('sha256').update(new Uint8Array(file(b, 'model.safetensors'))).digest('hex'),
    createHash('sha256').update(new Uint8Array(file(a, 'model.safetensors'))).digest('hex'), 'final weights differ');
  assert.equal(file(b, 'metrics.jsonl').toString().replace(/"(epoch_time_s|images_per_s)":[^,}]+/g, ''),
    file(a, 'metrics.jsonl').toString().replace(/"(epoch_time_s|images_per_s)":[^,}]+/g, ''));
});

test('search: a search killed with SIGKILL and resumed ends with the same genotype and bit-identical α', async () => {
  const [a, b] = [tmp(), tmp()];
  const first = run(SEARCH, a);
  assert.equal(first.status, 0, first.stderr);
  await killAndResume(SEARCH, b);
  const out = (root: string, f: string) => readFileSync(join(root, readdirSync(root)[0] as string, f), 'utf8');
  assert.equal(out(b, 'alpha.json'), out(a, 'alpha.json'));
  assert.equal(out(b, 'genotype.txt'), out(a, 'genotype.txt'));
  for (const f of ['genotype.json', 'cell-normal.svg', 'cell-reduce.svg', 'metrics.jsonl', 'checkpoint.safetensors']) assert.ok(existsSync(join(b, readdirSync(b)[0] as string, f)), f);
});

test('user mistakes are typed errors without a stack trace, exit code 2', () => {
  const runs = tmp();
  for (const [args, pattern] of [
    [['train', '--epochs', '-1'], /LNAS_CONFIG.*optim\.epochs/],
    [['train', '--no-such-flag'], /unknown option --no-such-flag/],
    [['train', '--genotype', "Genotype(normal=[('sep_conv_9x9', 0)])"], /LNAS_PARSE|sep_conv_9x9/],
    [['search', '--preset', 'nope'], /unknown preset/],
    [['train', '--dataset', 'cifar10', '--data-dir', join(runs, 'empty')], /LNAS_DATA/],
    [['frobnicate'], /unknown command/],
    [['constructor'], /unknown command/],
    [['train', '-e', '1'], /unknown option "-e".*long options only/],
    [['train', '--epochs', '1', 'extra', 'words'], /unexpected argument "extra"/],
    [['search', '--preset'], /--preset needs a value/],
  ] as [string[], RegExp][]) {
    const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs, LNAS_OFFLINE: '1' }, timeout: 60_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('`lnas help train` prints the options of train, like `lnas train --help`', () => {
  const a = spawnSync(process.execPath, [main, 'help', 'train'], { encoding: 'utf8' });
  const b = spawnSync(process.execPath, [main, 'train', '--help'], { encoding: 'utf8' });
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /Usage: lnas train/);
  assert.match(a.stdout, /--epochs/);
  assert.equal(a.stdout, b.stdout);
});

test('two identical `lnas train` started together: one trains, the other fails with LNAS_BUSY; one metrics line per epoch', async () => {
  const runs = tmp();
  const args = ['train', '--dataset', 'synthetic', '--train-limit', '3072', '--test-limit', '64', '--width', '8', '--batch-size', '32', '--epochs', '2', '--threads', '1', '--seed', '9'];
  const start = () => {
    const c = spawn(process.execPath, [main, ...args], { env: { ...process.env, LNAS_RUNS_DIR: runs }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => { err += d; });
    return new Promise<{ code: number | null; err: string }>((resolve) => c.on('exit', (code) => resolve({ code, err })));
  };
  const results = await Promise.all([start(), start()]);
  const codes = results.map((r) => r.code).sort();
  assert.deepEqual(codes, [0, 2], results.map((r) => r.err.slice(-500)).join('\n---\n'));
  assert.match(results.find((r) => r.code === 2)!.err, /LNAS_BUSY.*already running in process \d+/);
  const dir = readdirSync(runs)[0] as string;
  assert.equal(readFileSync(join(runs, dir, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 2);
  assert.ok(!existsSync(join(runs, dir, 'run.lock')), 'the lock is released at the end');
});
