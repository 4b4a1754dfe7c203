import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSafetensors, saveSafetensors, disposeAll } from '../nn/safetensors.js';
import { noGrad } from '../tensor/runtime.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const lnas = (args: string[], runs: string) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs }, timeout: 120_000 });
const TRAIN = ['train', '--dataset', 'synthetic', '--train-limit', '512', '--test-limit', '64', '--width', '8', '--epochs', '2', '--threads', '1', '--checkpoint-every', '1'];

test('divergence: --lr 1e4 stops at the first bad step with LNAS_DIVERGED naming epoch, step and what to try; exit 2; no summary', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-div-'));
  const r = lnas([...TRAIN, '--lr', '1e4'], runs);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /LNAS_DIVERGED.*train diverged at epoch 1, step \d+: the training loss is .*--lr, now 10000/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const dir = join(runs, readdirSync(runs)[0] as string);
  assert.ok(!existsSync(join(dir, 'summary.json')));
  // The checkpoint left behind is the last good one: it holds finite weights, so a rerun diverges
  // again the same way instead of refusing a poisoned checkpoint.
  assert.ok(existsSync(join(dir, 'checkpoint.safetensors')), 'the last good checkpoint is kept');
  const again = lnas([...TRAIN, '--lr', '1e4'], runs);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /resumed at epoch 1.*\n[\s\S]*LNAS_DIVERGED/);
});

test('divergence: a search whose loss blows up exits 2 with LNAS_DIVERGED', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-div-'));
  const r = lnas(['search', '--dataset', 'synthetic', '--train-limit', '256', '--channels', '4', '--layers', '3', '--epochs', '2',
    '--batch-size', '32', '--threads', '1', '--lr', '1e5', '--clip', '0'], runs);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /LNAS_DIVERGED.*search diverged at epoch \d+, step \d+/);
  assert.ok(!existsSync(join(runs, readdirSync(runs)[0] as string, 'summary.json')));
});

test('divergence: resuming from a checkpoint with NaN weights is refused, naming the tensor', () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-div-'));
  const args = [...TRAIN, '--train-limit', '256'];
  // Finish epoch 1 of 2 only: train 1 epoch into the 2-epoch folder is not possible, so write the
  // checkpoint by running to completion, then poison it and remove the summary.
  assert.equal(lnas(args, runs).status, 0);
  const dir = join(runs, readdirSync(runs)[0] as string);
  const ckpt = join(dir, 'checkpoint.safetensors');
  const { tensors, metadata } = loadSafetensors(ckpt);
  const name = [...tensors.keys()].find((k) => k.startsWith('model.') && k.endsWith('weight')) as string;
  noGrad(() => tensors.get(name)!.fill_(NaN));
  saveSafetensors(ckpt, tensors, metadata);
  disposeAll(tensors);
  spawnSync('rm', [join(dir, 'summary.json')]);
  const r = lnas(args, runs);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`LNAS_CHECKPOINT_DIVERGED.*non-finite values in '${name.slice('model.'.length).replace(/\./g, '\\.')}'`));
});
