import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, LnasError } from '../errors.js';
import { Conv2d } from '../nn/layers.js';
import { countMacs, traceMacs } from '../nn/macs.js';
import { randn } from '../tensor/creation.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { magnitudePrune } from './magnitude.js';
import { Mask } from './mask.js';
import { type PruningSchedule, densityAfterRound, keptAfterRound, roundsOf } from './schedule.js';
import { param, tinyNet } from './testing.js';

setNumThreads(1);

/** Largest |w| among pruned and smallest among kept positions of the covered tensors. */
function separation(model: ReturnType<typeof tinyNet>, mask: Mask, within?: Mask): { maxPruned: number; minKept: number } {
  let maxPruned = -Infinity; let minKept = Infinity;
  for (const name of mask.names()) {
    const w = param(model, name).toNumbers();
    const m = mask.get(name)!.toNumbers();
    const prior = within?.get(name)!.toNumbers();
    w.forEach((v, i) => {
      if (prior && prior[i] === 0) return;
      if (m[i] === 1) minKept = Math.min(minKept, Math.abs(v)); else maxPruned = Math.max(maxPruned, Math.abs(v));
    });
  }
  return { maxPruned, minKept };
}

test('global one-shot pruning keeps exactly round(total * (1-p)) weights, the largest ones', () => {
  const base = liveTensors().tensors;
  manualSeed(10);
  const m = tinyNet();
  const dense = Mask.ones(m);
  for (const p of [0, 0.1, 0.5, 0.8, 0.9, 0.99, 0.999]) {
    const pruned = magnitudePrune(m, dense, { density: 1 - p });
    assert.equal(pruned.kept(), Math.round(120 * (1 - p)), `sparsity ${p}`);
    const s = separation(m, pruned);
    assert.ok(s.maxPruned <= s.minKept, `sparsity ${p}: a pruned weight outweighs a kept one`);
    pruned.dispose();
  }
  dense.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('per-layer pruning keeps round(n_t * density) in every tensor', () => {
  const base = liveTensors().tensors;
  manualSeed(11);
  const m = tinyNet();
  const dense = Mask.ones(m);
  for (const p of [0.3, 0.75, 0.95]) {
    const pruned = magnitudePrune(m, dense, { density: 1 - p }, { scope: 'layer' });
    for (const [name, c] of pruned.counts()) {
      assert.equal(c.kept, Math.round(c.total * (1 - p)), `${name} at sparsity ${p}`);
    }
    pruned.dispose();
  }
  dense.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('ties are broken by position: exact count, deterministic, earlier weights pruned first', () => {
  const base = liveTensors().tensors;
  const m = tinyNet();
  noGrad(() => { for (const name of ['0.weight', '5.weight']) param(m, name).fill_(0.5); });
  const dense = Mask.ones(m);
  const a = magnitudePrune(m, dense, { density: 0.5 });
  const b = magnitudePrune(m, dense, { density: 0.5 });
  assert.equal(a.kept(), 60);
  for (const n of a.names()) assert.deepEqual(a.get(n)!.toNumbers(), b.get(n)!.toNumbers());
  // 60 of 120 pruned in mask order: the first 60 conv weights go, the rest survive.
  const conv = a.get('0.weight')!.toNumbers();
  assert.deepEqual(conv.slice(0, 60), new Array(60).fill(0));
  assert.deepEqual(conv.slice(60), new Array(48).fill(1));
  a.dispose(); b.dispose(); dense.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

for (const scopeKind of ['global', 'layer'] as const) {
  test(`iterative ${scopeKind} pruning: exact after every round, never regrows, exactly p at the end`, () => {
    const base = liveTensors().tensors;
    manualSeed(12);
    const m = tinyNet();
    const schedule: PruningSchedule = { kind: 'iterative', sparsity: 0.8, rounds: 4, epochsPerRound: 1 };
    let mask = Mask.ones(m);
    for (let r = 1; r <= roundsOf(schedule); r++) {
      // Training between rounds moves the weights; pruned ones are held at zero.
      scope(() => noGrad(() => { for (const n of mask.names()) param(m, n).add_(randn(param(m, n).shape), 0.05); }));
      mask.apply(m);
      const next = magnitudePrune(m, mask, { density: densityAfterRound(schedule, r) }, { scope: scopeKind });
      for (const n of mask.names()) {
        const before = mask.get(n)!.toNumbers();
        const after = next.get(n)!.toNumbers();
        assert.ok(before.every((v, i) => v === 1 || after[i] === 0), `round ${r}: ${n} regrew a weight`);
      }
      if (scopeKind === 'global') assert.equal(next.kept(), keptAfterRound(schedule, 120, r), `round ${r}`);
      else for (const [n, c] of next.counts()) assert.equal(c.kept, keptAfterRound(schedule, c.total, r), `round ${r} ${n}`);
      const s = separation(m, next, mask);
      if (scopeKind === 'global') assert.ok(s.maxPruned <= s.minKept, `round ${r}`);
      mask.dispose();
      mask = next;
    }
    if (scopeKind === 'global') assert.equal(mask.kept(), Math.round(120 * 0.2));
    else assert.deepEqual([...mask.counts().values()].map((c) => c.kept), [Math.round(108 * 0.2), Math.round(12 * 0.2)]);
    mask.dispose(); m.dispose();
    assert.equal(liveTensors().tensors, base);
  });
}

test('keepFraction prunes relative to the survivors; targets are validated', () => {
  const base = liveTensors().tensors;
  manualSeed(13);
  const m = tinyNet();
  const dense = Mask.ones(m);
  const half = magnitudePrune(m, dense, { keepFraction: 0.5 });
  half.apply(m);
  const quarter = magnitudePrune(m, half, { keepFraction: 0.5 });
  assert.equal(half.kept(), 60);
  assert.equal(quarter.kept(), 30);
  assert.throws(() => magnitudePrune(m, half, { density: 0.9 }), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_PRUNE_TARGET');
  assert.throws(() => magnitudePrune(m, half, { keepFraction: 1.5 }), ConfigError);
  assert.throws(() => magnitudePrune(m, half, { density: Number.NaN }), ConfigError);
  half.dispose(); quarter.dispose(); dense.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('effective MACs of a pruned conv fall by exactly the pruned fraction', () => {
  const base = liveTensors().tensors;
  manualSeed(14);
  const conv = new Conv2d(3, 8, 3, { padding: 1, bias: false });
  const dense = Mask.ones(conv);
  const mask = magnitudePrune(conv, dense, { density: 0.25 });
  mask.apply(conv);
  const macs = scope(() => countMacs(traceMacs(() => { conv.forward(randn([1, 3, 6, 6])); })));
  assert.equal(macs.dense, 36 * 8 * 27);
  assert.equal(mask.kept(), 54);
  assert.equal(macs.effective, 36 * 54);
  assert.equal(macs.effective / macs.dense, 0.25);
  mask.dispose(); dense.dispose(); conv.dispose();
  assert.equal(liveTensors().tensors, base);
});

test('a mask covering nothing prunes nothing', () => {
  const base = liveTensors().tensors;
  const m = tinyNet();
  const none = Mask.ones(m, () => false);
  const out = magnitudePrune(m, none, { density: 0.1 });
  assert.equal(out.total(), 0);
  assert.equal(out.sparsity(), 0);
  out.dispose(); none.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});
