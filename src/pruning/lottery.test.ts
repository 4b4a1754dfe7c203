import { SimulatedKill, crashAfterSteps } from '../train/testing.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Batcher } from '../data/batcher.js';
import type { ImageSet } from '../data/types.js';
import { runPaths } from '../runs/paths.js';
import { SGD } from '../optim/sgd.js';
import { randn, tensor } from '../tensor/creation.js';
import * as F from '../tensor/functional.js';
import { liveTensors, manualSeed, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { type EpochMetrics, fit } from '../train/fit.js';
import { Rng } from '../util/rng.js';
import { LotteryTicketHooks, type LotteryTicketOptions, type PruneEvent } from './lottery.js';
import { WeightSnapshot } from './rewind.js';
import type { PruningSchedule } from './schedule.js';
import { bits, param, tinyNet } from './testing.js';

setNumThreads(1);

function sgdSteps(m: ReturnType<typeof tinyNet>, opt: SGD, steps: number, afterStep: (() => void) | null): void {
  for (let i = 0; i < steps; i++) {
    scope(() => {
      const loss = F.crossEntropy(m.forward(randn([8, 3, 6, 6])), tensor([0, 1, 2, 0, 1, 2, 0, 1]).to('int64'));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      afterStep?.();
    });
  }
}

/** Pruned positions that are not exactly +0. */
function leaks(m: ReturnType<typeof tinyNet>, lt: LotteryTicketHooks): number {
  let n = 0;
  for (const name of lt.mask.names()) {
    const mk = lt.mask.get(name)!.toNumbers();
    param(m, name).toNumbers().forEach((v, i) => { if (mk[i] === 0 && !Object.is(v, 0)) n++; });
  }
  return n;
}

for (const resetOptimizer of [true, false]) {
  test(`pruned weights stay exactly zero through SGD momentum 0.9 and weight decay (reset optimizer: ${resetOptimizer})`, () => {
    const base = liveTensors().tensors;
    manualSeed(30);
    const m = tinyNet();
    const opt = new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
    const lt = new LotteryTicketHooks({ model: m, optimizer: opt, resetOptimizer, schedule: { kind: 'one-shot', sparsity: 0.75, epochs: 2, pruneAt: 1 } });
    lt.beforeEpoch(0);
    sgdSteps(m, opt, 10, lt.afterStep);
    lt.beforeEpoch(1);
    assert.equal(lt.mask.kept(), 30);
    assert.equal(opt.momentumBuffers().size, resetOptimizer ? 0 : 5, 'momentum buffers reset on rewind');
    sgdSteps(m, opt, 60, lt.afterStep);
    assert.equal(leaks(m, lt), 0);
    const nonzero = lt.mask.names().reduce((s, n) => s + scope(() => param(m, n).ne(0).sum().item()), 0);
    assert.equal(nonzero, 30, 'the survivors are trained, the pruned are zero');
    const buf = opt.momentumBuffers().get(param(m, '0.weight'))!;
    const mk = lt.mask.get('0.weight')!.toNumbers();
    assert.ok(buf.toNumbers().some((v, i) => mk[i] === 0 && v !== 0), 'momentum of pruned weights is non-zero, so the mask matters');
    sgdSteps(m, opt, 1, null);
    assert.ok(leaks(m, lt) > 0, 'without afterStep a single step would revive pruned weights');
    opt.disposeState(); lt.dispose(); m.dispose();
    assert.equal(liveTensors().tensors, base);
  });
}

function imageSet(n: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  return { images: Uint8Array.from({ length: n * 3 * 6 * 6 }, () => rng.int(256)), labels: Uint8Array.from({ length: n }, () => rng.int(3)),
    n, channels: 3, height: 6, width: 6, classes: 3 };
}

const quiet = { update() {}, log() {}, done() {} };

interface RunResult { weights: Map<string, Uint8Array>; mask: Map<string, number[]>; history: EpochMetrics[]; events: PruneEvent[]; rewoundToTheta0: boolean[] }

/** One fit() with lottery hooks, as a fresh process would do it (same seed, new objects). */
function run(dir: string, schedule: PruningSchedule, extra: Partial<LotteryTicketOptions>, stopAfterSteps?: number, checkpointEvery = 1): RunResult {
  const progress = stopAfterSteps === undefined ? quiet : crashAfterSteps(stopAfterSteps, quiet);
  manualSeed(40);
  const m = tinyNet();
  const opt = new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
  const theta0 = WeightSnapshot.capture(m);
  const events: PruneEvent[] = [];
  const rewoundToTheta0: boolean[] = [];
  const lt = new LotteryTicketHooks({ model: m, optimizer: opt, schedule, ...extra, onPrune: (e) => {
    events.push(e);
    // Right after a rewind to θ0: every surviving weight equals θ0 bit for bit.
    rewoundToTheta0.push(m.namedParameters().every(([n, p]) => {
      const mk = lt.mask.get(n)?.toNumbers();
      const got = bits(p); const want = bits(theta0.tensors().get(n)!);
      return mk === undefined ? Buffer.compare(got, want) === 0 : mk.every((k, i) => k === 0 || Buffer.compare(got.subarray(4 * i, 4 * i + 4), want.subarray(4 * i, 4 * i + 4)) === 0);
    }));
  } });
  const set = imageSet(32, 5);
  const train = new Batcher(set, { batchSize: 8, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], seed: 3 });
  try {
    let history: EpochMetrics[];
    try {
      history = fit({
        stage: 'lottery', model: m, optimizer: opt, schedule: { kind: 'constant', lr: 0.05 }, epochs: lt.epochs, train,
        geometry: { channels: 3, height: 6, width: 6 }, layout: 'nchw', evals: [], clip: 0, labelSmoothing: 0, emaDecay: 0,
        paths: runPaths(dir), checkpointEvery, hooks: lt, extraTensors: lt.extraTensors(), progress,
      });
    } catch (e) {
      if (!(e instanceof SimulatedKill)) throw e;
      // What the killed process had recorded.
      const file = runPaths(dir).metrics;
      history = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EpochMetrics) : [];
    }
    return { weights: new Map(m.namedParameters().map(([n, p]) => [n, bits(p)])), mask: new Map([...lt.mask.tensors()].map(([n, t]) => [n, t.toNumbers()])),
      history, events, rewoundToTheta0 };
  } finally {
    opt.disposeState(); lt.dispose(); theta0.dispose(); m.dispose();
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'lnas-lottery-'));

test('iterative schedule in fit(): exact kept counts each round, rewinds to θ0, sparsity in the metrics', () => {
  const base = liveTensors().tensors;
  const schedule: PruningSchedule = { kind: 'iterative', sparsity: 0.8, rounds: 2, epochsPerRound: 1 };
  const r = run(tmp(), schedule, {});
  assert.deepEqual(r.events.map((e) => [e.round, e.epoch, e.kept]), [[1, 1, Math.round(120 * Math.sqrt(0.2))], [2, 2, 24]]);
  assert.deepEqual(r.rewoundToTheta0, [true, true]);
  assert.deepEqual(r.history.map((m) => m.prune_round), [0, 1, 2]);
  assert.equal(r.history[2]!.sparsity, 1 - 24 / 120);
  for (const [n, mk] of r.mask) {
    const w = new Float32Array(r.weights.get(n)!.buffer);
    mk.forEach((k, i) => { if (k === 0) assert.ok(Object.is(w[i], 0), `${n}[${i}]`); });
  }
  assert.equal(liveTensors().tensors, base);
});

test('a run killed anywhere resumes bit-identical, masks and rewind point included (one-shot, rewind to epoch 1, per layer)', () => {
  const base = liveTensors().tensors;
  const schedule: PruningSchedule = { kind: 'one-shot', sparsity: 0.5, epochs: 4, pruneAt: 2 };
  const extra: Partial<LotteryTicketOptions> = { rewind: { epoch: 1 }, scope: 'layer' };
  const whole = run(tmp(), schedule, extra);
  assert.equal(whole.events.length, 1);
  assert.deepEqual(whole.rewoundToTheta0, [false], 'rewound to θ1, not θ0');
  assert.deepEqual([...whole.mask.values()].map((mk) => mk.filter((k) => k === 1).length), [54, 6]);
  // 4 steps per epoch. With checkpointEvery 1 a kill resumes mid-epoch: before θ1 is taken (3),
  // after pruning (10). With checkpointEvery 0 it resumes from the last epoch boundary: before θ1
  // is taken (6), and with θ1 taken but the pruning still due (10).
  for (const [stop, every] of [[3, 1], [10, 1], [6, 0], [10, 0]] as const) {
    const dir = tmp();
    const first = run(dir, schedule, extra, stop, every);
    assert.equal(first.history.length, Math.floor((stop - 1) / 4));
    const resumed = run(dir, schedule, extra, undefined, every);
    assert.deepEqual(resumed.history.map((m) => m.prune_round), [0, 0, 1, 1]);
    for (const [n, w] of whole.weights) assert.deepEqual(resumed.weights.get(n), w, `stop ${stop}/${every}: ${n}`);
    assert.deepEqual(resumed.mask, whole.mask, `stop ${stop}/${every}: mask`);
    assert.equal(resumed.events.length, stop === 10 && every === 1 ? 0 : 1, `stop ${stop}/${every}: prunes once, only when still due`);
  }
  assert.equal(liveTensors().tensors, base);
});

test('bad rewind points and foreign checkpoint state are typed errors', () => {
  const base = liveTensors().tensors;
  manualSeed(41);
  const m = tinyNet();
  const opt = new SGD(m.parameters(), { lr: 0.1 });
  const schedule: PruningSchedule = { kind: 'one-shot', sparsity: 0.5, epochs: 4, pruneAt: 2 };
  assert.throws(() => new LotteryTicketHooks({ model: m, optimizer: opt, schedule, rewind: { epoch: 3 } }), { code: 'LNAS_CONFIG', path: 'pruning.rewind.epoch' });
  assert.throws(() => new LotteryTicketHooks({ model: m, optimizer: opt, schedule: { ...schedule, sparsity: 1 } }), { code: 'LNAS_CONFIG', path: 'pruning.sparsity' });
  const late = new LotteryTicketHooks({ model: m, optimizer: opt, schedule, rewind: { step: 1000 } });
  late.beforeEpoch(0);
  assert.throws(() => late.beforeEpoch(2), { code: 'LNAS_PRUNE_REWIND' });
  assert.throws(() => late.restore(undefined), { code: 'LNAS_CHECKPOINT_CORRUPT' });
  assert.throws(() => late.restore({ format: 'lnas-lottery-1', roundsDone: 5, snapshotTaken: true, steps: 0 }), { code: 'LNAS_CHECKPOINT_CORRUPT' });
  late.restore({ format: 'lnas-lottery-1', roundsDone: 0, snapshotTaken: false, steps: 0 });
  assert.throws(() => late.beforeEpoch(3), { code: 'LNAS_PRUNE_STATE' });
  late.dispose(); m.dispose();
  assert.equal(liveTensors().tensors, base);
});
