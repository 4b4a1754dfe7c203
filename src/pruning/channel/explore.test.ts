import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveTensors, manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { Rng } from '../../util/rng.js';
import { exploreTickets, type ProposalResult } from './explore.js';
import { scrambleBatchNorm, syntheticBatches, testGenome, tinySpace } from './testing.js';

setNumThreads(1);

test('exploring tickets: K proposals scored on the same data, the best kept, the trained network untouched', () => {
  manualSeed(3);
  const space = tinySpace();
  const recalibration = syntheticBatches({ images: 64, batchSize: 32, seed: 1 });
  const validation = syntheticBatches({ images: 64, batchSize: 32, seed: 2 });
  const before = liveTensors().tensors;
  const net = space.build(testGenome(2));
  scrambleBatchNorm(net);
  const state = [...net.stateDict()].map(([n, t]) => [n, t.toNumbers()] as const);
  const seen: ProposalResult[] = [];
  const r = exploreTickets(net, { count: 4, rng: new Rng(5), recalibration, validation, onResult: (p) => seen.push(p) });

  assert.equal(r.results.length, 4);
  assert.deepEqual(seen, r.results);
  const top = Math.max(...r.results.map((p) => p.top1));
  assert.equal(r.best.top1, top);
  assert.ok(r.results.every((p) => p.n === 64 && p.macs === space.macs(p.genome)));
  assert.deepEqual(r.ticket.genome, r.best.genome);
  assert.equal(r.ticket.parameterCount(), r.best.params);
  assert.equal(r.ticket.training, false);
  assert.ok(r.ticket.stem.bn.numBatchesTracked?.item() === 2, 'the ticket is re-calibrated');
  for (const [n, v] of state) assert.deepEqual(net.stateDict().get(n)?.toNumbers(), v, `${n} of the trained network changed`);

  r.ticket.dispose();

  // Explicit proposals: the unpruned genome itself is a valid (if pointless) one.
  const same = { rates: {}, genome: net.genome, macs: space.macs(net.genome), params: space.params(net.genome) };
  const r2 = exploreTickets(net, { proposals: [same], recalibration, validation });
  assert.equal(r2.results.length, 1);
  assert.equal(space.key(r2.ticket.genome), space.key(net.genome));
  r2.ticket.dispose();
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('screening: every proposal scored on the first images, only the best `keep` on all; the ticket is the best of those on all', () => {
  manualSeed(4);
  const space = tinySpace();
  const recalibration = syntheticBatches({ images: 64, batchSize: 32, seed: 1 });
  const validation = syntheticBatches({ images: 64, batchSize: 32, seed: 2 });
  const part = (i: number) => ({ ...validation, batches: [validation.batches[i]!] });
  const before = liveTensors().tensors;
  const net = space.build(testGenome(2));
  scrambleBatchNorm(net);
  const K = 6;
  const onFirst = exploreTickets(net, { count: K, rng: new Rng(7), recalibration, validation: part(0) });
  const onAll = exploreTickets(net, { count: K, rng: new Rng(7), recalibration, validation });
  const r = exploreTickets(net, { count: K, rng: new Rng(7), recalibration, validation, screening: { first: part(0), rest: part(1), keep: 2 } });

  const byScreen = [...onFirst.results].sort((a, b) => b.top1 - a.top1 || a.loss - b.loss || a.index - b.index).slice(0, 2).map((p) => p.index);
  const full = r.results.filter((p) => p.n === 64).map((p) => p.index).sort();
  assert.deepEqual(full, [...byScreen].sort(), 'the two best on the screening images are scored on all');
  for (const p of r.results) {
    const ref = (p.n === 64 ? onAll : onFirst).results[p.index]!;
    assert.ok(Math.abs(p.top1 - ref.top1) < 1e-12 && Math.abs(p.loss - ref.loss) < 1e-5, `proposal ${p.index}: ${p.top1}/${p.loss} vs ${ref.top1}/${ref.loss}`);
  }
  assert.equal(r.results.filter((p) => p.n === 32).length, K - 2);
  const finalists = r.results.filter((p) => p.n === 64);
  const top = finalists.reduce((a, b) => (b.top1 > a.top1 || (b.top1 === a.top1 && b.loss < a.loss) ? b : a));
  assert.equal(r.best.index, top.index);
  assert.deepEqual(r.ticket.genome, r.best.genome);
  for (const x of [onFirst, onAll, r]) x.ticket.dispose();
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});
