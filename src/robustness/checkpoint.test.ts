// Corrupt checkpoints are typed errors that name what is wrong and say to remove the run
// folder; an optimizer tensor missing from a checkpoint is refused instead of silently
// re-initialised (which resumed with a different result).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LnasError } from '../errors.js';
import { Linear } from '../nn/layers.js';
import { loadSafetensors } from '../nn/safetensors.js';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { RMSprop } from '../optim/rmsprop.js';
import { SGD } from '../optim/sgd.js';
import { tensor } from '../tensor/creation.js';
import { manualSeed } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { editSafetensors, rawSafetensors, tmp } from './testing.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;

/** A linear layer and an optimizer that has taken two steps, so it holds state tensors. */
function stepped(make: (m: Linear) => AnyOptimizer): { model: Linear; opt: AnyOptimizer } {
  manualSeed(1);
  const model = new Linear(3, 2);
  const opt = make(model);
  for (let i = 0; i < 2; i++) {
    scope(() => { opt.zeroGrad(); model.forward(tensor([1, 2, 3, 4, 5, 6], [2, 3])).sum().backward(); opt.step(); });
  }
  return { model, opt };
}

const OPTIMIZERS: [string, (m: Linear) => AnyOptimizer][] = [
  ['SGD', (m) => new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 })],
  ['Adam', (m) => new Adam(m.parameters(), { lr: 0.1 })],
  ['RMSprop', (m) => new RMSprop(m.parameters(), { lr: 0.1, momentum: 0.9 })],
];

const FIT_STATE = {
  epoch: 1, stepInEpoch: 0, partial: { loss: 0, c1: 0, n: 0, seconds: 0 }, history: [{ stage: 'train', epoch: 1 }],
  batcher: { epoch: 0, cursor: 2, shuffleRng: [1, 2, 3, 4], augRng: [5, 6, 7, 8], n: 64, batchSize: 32 },
};

test('optimizer state missing a tensor it had is refused, naming the tensor', () => {
  for (const [name, make] of OPTIMIZERS) {
    const a = stepped(make);
    const s = a.opt.stateDict();
    const b = stepped(make);
    for (const key of s.tensors.keys()) {
      const tensors = new Map([...s.tensors].filter(([k]) => k !== key));
      assert.throws(() => b.opt.loadStateDict({ tensors, json: s.json }, 'optim.w.'),
        (e: unknown) => e instanceof LnasError && e.message.includes(`'optim.w.${key}'`), `${name}: ${key}`);
    }
    b.opt.loadStateDict(s); // the complete state loads
    for (const o of [a, b]) { o.opt.disposeState(); o.model.dispose(); }
  }
});

test('optimizer state of the wrong shape or with bad hyperparameters is a typed error', () => {
  const a = stepped(OPTIMIZERS[0]![1]);
  const b = stepped(OPTIMIZERS[0]![1]);
  const s = a.opt.stateDict();
  const wrong = new Map([...s.tensors].map(([k, t]) => [k, k.startsWith('0.') ? tensor([1, 2], [2]).keep() : t]));
  assert.throws(() => b.opt.loadStateDict({ tensors: wrong, json: s.json }), (e: unknown) => e instanceof LnasError && /shape/.test(e.message));
  for (const json of [null, {}, { stepCount: -1, groups: s.json.groups }, { stepCount: 1, groups: 'x' }, { stepCount: 1, groups: [{ lr: 'fast' }] },
    { stepCount: 1, groups: [{ ...s.json.groups[0], momentum: null }] }, { ...s.json, keys: 'all' }]) {
    assert.throws(() => b.opt.loadStateDict({ tensors: s.tensors, json: json as never }), (e: unknown) => e instanceof LnasError, JSON.stringify(json));
  }
  for (const o of [a, b]) { o.opt.disposeState(); o.model.dispose(); }
});

test('loadCheckpoint: a damaged state is LNAS_CHECKPOINT_CORRUPT naming the problem and saying rm -r <run folder>', () => {
  const dir = tmp();
  const path = join(dir, 'checkpoint.safetensors');
  const { model, opt } = stepped(OPTIMIZERS[0]![1]);
  const target = { model, optimizers: { weights: opt } };
  saveCheckpoint(path, target, FIT_STATE);
  assert.deepEqual(loadCheckpoint(path, target), FIT_STATE);
  const bad: [string, unknown, RegExp][] = [
    ['{}', {}, /epoch/],
    ['null', null, /object/],
    ['negative epoch', { ...FIT_STATE, epoch: -1 }, /epoch/],
    ['history not a list', { ...FIT_STATE, history: 'x' }, /history/],
    ['partial missing', { ...FIT_STATE, partial: undefined }, /partial/],
    ['batcher garbage', { ...FIT_STATE, batcher: { epoch: 0 } }, /batcher/],
    ['batcher rng garbage', { ...FIT_STATE, batcher: { ...FIT_STATE.batcher, augRng: [1, 2] } }, /batcher/],
  ];
  for (const [what, state, pattern] of bad) {
    saveCheckpoint(path, target, FIT_STATE);
    editSafetensors(path, (h) => { h.__metadata__!.state = JSON.stringify(state) ?? 'undefined'; });
    assert.throws(() => loadCheckpoint(path, target), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_CHECKPOINT_CORRUPT' &&
      pattern.test(e.message) && e.message.includes(`rm -r ${dir}`), what);
  }
  // A tensor of the model missing, or of another shape.
  saveCheckpoint(path, target, FIT_STATE);
  editSafetensors(path, (h) => { delete h['model.bias']; });
  assert.throws(() => loadCheckpoint(path, target), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_CHECKPOINT_CORRUPT' && /'bias'/.test(e.message) && /rm -r/.test(e.message));
  // The torch RNG state of another size.
  saveCheckpoint(path, target, FIT_STATE);
  editSafetensors(path, (h) => { const r = h['rng.torch'] as { shape: number[]; data_offsets: number[] }; r.shape = [8]; r.data_offsets = [r.data_offsets[0]!, r.data_offsets[0]! + 8]; });
  assert.throws(() => loadCheckpoint(path, target), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_CHECKPOINT_CORRUPT' && /rng\.torch/.test(e.message));
  opt.disposeState(); model.dispose();
});

test('a checkpoint written before optimizers listed their tensors still loads', () => {
  const dir = tmp();
  const path = join(dir, 'checkpoint.safetensors');
  const { model, opt } = stepped(OPTIMIZERS[1]![1]);
  const target = { model, optimizers: { weights: opt } };
  saveCheckpoint(path, target, FIT_STATE);
  editSafetensors(path, (h) => {
    const optim = JSON.parse(h.__metadata__!.optim as string) as Record<string, Record<string, unknown>>;
    delete optim.weights!.keys;
    h.__metadata__!.optim = JSON.stringify(optim);
  });
  assert.deepEqual(loadCheckpoint(path, target), FIT_STATE);
  opt.disposeState(); model.dispose();
});

test('loadSafetensors: a header that is not an object of tensor entries is LNAS_CHECKPOINT_CORRUPT, not a TypeError', () => {
  const dir = tmp();
  const path = join(dir, 'x.safetensors');
  const data = new Uint8Array(16);
  for (const header of [null, [], 7, 'x', { w: null }, { w: 'F32' }, { w: [] }, { __metadata__: null }, { __metadata__: { a: 1 } }, { __metadata__: [] },
    { w: { dtype: 'F32', shape: [1], data_offsets: [0.5, 4.5] } }, { w: { dtype: 'F32', shape: [1], data_offsets: ['0', '4'] } },
    { w: { dtype: 'F32', shape: [2 ** 40, 0], data_offsets: [0, 0] } }, { w: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } },
    { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, w: { dtype: 'F32', shape: [9], data_offsets: [0, 36] } }]) {
    writeFileSync(path, rawSafetensors(header, data));
    assert.throws(() => loadSafetensors(path), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_CHECKPOINT_CORRUPT', JSON.stringify(header));
  }
});
