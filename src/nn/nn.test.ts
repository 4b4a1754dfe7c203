import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { randn, tensor } from '../tensor/creation.js';
import { manualSeed } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { BatchNorm2d, Conv2d, Linear, ReLU, Sequential, SqueezeExcite, Flatten, GlobalAvgPool } from './layers.js';
import { disposeAll, loadSafetensors, saveSafetensors } from './safetensors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-nn-'));

function model() {
  return new Sequential(new Conv2d(3, 4, 3, { padding: 1 }), new BatchNorm2d(4), ReLU(), new SqueezeExcite(4, 2), GlobalAvgPool(), Flatten(), new Linear(4, 2));
}

test('module tree: named parameters and buffers in order; train/eval propagate', () => {
  manualSeed(1);
  const m = model();
  const names = m.namedParameters().map(([n]) => n);
  assert.deepEqual(names, ['0.weight', '0.bias', '1.weight', '1.bias', '3.reduce.weight', '3.reduce.bias', '3.expand.weight', '3.expand.bias', '6.weight', '6.bias']);
  assert.deepEqual(m.namedBuffers().map(([n]) => n), ['1.running_mean', '1.running_var', '1.num_batches_tracked']);
  m.eval();
  assert.equal(m.layers[1]!.training, false);
  scope(() => assert.deepEqual(m.forward(randn([2, 3, 8, 8])).shape, [2, 2]));
  m.dispose();
});

test('state dict round-trips through safetensors, bit for bit', () => {
  manualSeed(2);
  const a = model();
  scope(() => { a.forward(randn([2, 3, 8, 8])); }); // moves BN running stats
  const dir = tmp();
  saveSafetensors(join(dir, 'm.safetensors'), a.stateDict(), { format: 'lnas' });
  manualSeed(3);
  const b = model();
  const loaded = loadSafetensors(join(dir, 'm.safetensors'));
  assert.equal(loaded.metadata.format, 'lnas');
  b.loadStateDict(loaded.tensors);
  for (const [k, t] of a.stateDict()) assert.deepEqual(b.stateDict().get(k)!.toNumbers(), t.toNumbers(), k);
  disposeAll(loaded.tensors); a.dispose(); b.dispose();
});

test('safetensors layout: little-endian header length, JSON header, 8-byte alignment', () => scope(() => {
  const dir = tmp();
  const path = join(dir, 'x.safetensors');
  saveSafetensors(path, new Map([['w', tensor([1, 2], [2])]]));
  const buf = readFileSync(path);
  const n = Number(buf.readBigUInt64LE(0));
  assert.equal((8 + n) % 8, 0);
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  assert.deepEqual(header.w, { dtype: 'F32', shape: [2], data_offsets: [0, 8] });
  assert.equal(buf.readFloatLE(8 + n + 4), 2);
}));

test('loading a mismatched or corrupt file is a typed error naming the tensor or file', () => {
  const dir = tmp();
  const m = new Linear(3, 2);
  const path = join(dir, 'bad.safetensors');
  scope(() => saveSafetensors(path, new Map([['weight', randn([2, 4])], ['bias', randn([2])]])));
  const loaded = loadSafetensors(path);
  assert.throws(() => m.loadStateDict(loaded.tensors), (e: Error & { code?: string }) => e.code === 'LNAS_STATE_MISMATCH' && /'weight'.*\[2, 4\]/.test(e.message));
  disposeAll(loaded.tensors);
  const full = readFileSync(path);
  writeFileSync(path, new Uint8Array(full.subarray(0, full.byteLength - 5)));
  assert.throws(() => loadSafetensors(path), (e: Error & { code?: string }) => e.code === 'LNAS_CHECKPOINT_CORRUPT' && /truncated/.test(e.message));
  writeFileSync(path, 'garbage!garbage!');
  assert.throws(() => loadSafetensors(path), { code: 'LNAS_CHECKPOINT_CORRUPT' });
  m.dispose();
});

test('batch norm with momentum null keeps a cumulative average', () => {
  const bn = new BatchNorm2d(1, { momentum: null, affine: false });
  scope(() => {
    bn.forward(tensor([1, 3], [2, 1, 1, 1]));
    bn.forward(tensor([5, 7], [2, 1, 1, 1]));
  });
  assert.deepEqual(bn.runningMean!.toNumbers(), [4]); // mean of the batch means 2 and 6
  bn.dispose();
});

test('channels_last conversion keeps values and identity', () => {
  const c = new Conv2d(3, 4, 3);
  const before = c.weight.toNumbers();
  const w = c.weight;
  c.toMemoryFormat('channelsLast');
  assert.equal(c.weight, w);
  assert.ok(c.weight.isContiguous('channelsLast'));
  assert.deepEqual(c.weight.toNumbers(), before);
  c.dispose();
});
