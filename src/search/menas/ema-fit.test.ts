// The final retraining uses an EMA of the weights (the paper's 0.9999): check that the fit loop
// evaluates with the averaged weights, trains the live ones, and resumes the average exactly.
import { loadData } from '../../data/setup.js';
import type { EpochMetrics } from '../../train/fit.js';
import { SimulatedKill, crashAfterSteps } from '../../train/testing.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaults } from '../../config/schema.js';
import { evaluate } from '../../train/loop.js';
import { silentProgress } from '../../train/progress.js';
import { DataSchema } from '../../data/config.js';
import { OptimSchema, RuntimeSchema } from '../../train/config.js';
import type { Tensor } from '../../tensor/tensor.js';
import { liveTensors, manualSeed, noGrad, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { Rng } from '../../util/rng.js';
import { spaceConfigFor, trialData } from './data.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { trainNetwork } from './train-genome.js';

setNumThreads(1);
const data = { ...defaults(DataSchema), dataset: 'synthetic' as const, trainLimit: 160, valSize: 64, batchSize: 32, evalBatchSize: 64 };
const runtime = { ...defaults(RuntimeSchema), threads: 1, checkpointEvery: 1 };

async function setup(seed: number) {
  manualSeed(seed);
  const ds = await loadData(data, { syntheticSize: 16 });
  const space = mobilenetSpace(spaceConfigFor(ds.train, { widthMults: [0.5], depths: [1, 2] }));
  const net = space.build(space.sample(new Rng(seed)));
  return { net, d: trialData(ds, data, { layout: 'nhwc', seed, recalImages: 32 }) };
}

test('EMA in the fit loop without warm-up: decay 1 evaluates the initial weights and initial BatchNorm statistics (integer buffers live)', async () => {
  const before = liveTensors().tensors;
  const { net, d } = await setup(1);
  const initial = new Map(noGrad(() => [...net.stateDict()].filter(([, t]) => t.dtype === 'float32').map(([k, t]) => [k, t.clone().keep()] as [string, Tensor])));
  const optim = { ...defaults(OptimSchema), epochs: 1, optimizer: 'rmsprop-tf' as const, lr: 0.01, weightDecay: 1e-5, ema: 1 };
  const [m] = trainNetwork(net, { stage: 't', dir: null, optim, runtime, data: d, evals: ['val'], progress: silentProgress, emaWarmup: false });
  const trained = new Map(noGrad(() => [...net.stateDict()].map(([k, t]) => [k, t.clone().keep()] as [string, Tensor])));
  assert.ok([...initial].some(([k, t]) => noGrad(() => scope(() => t.sub(trained.get(k)!).abs().max().item())) > 0), 'the live weights were trained');
  net.loadStateDict(initial, { strict: false });
  const r = evaluate(net, d.val!, d.geometry, d.layout);
  assert.equal(m?.val_loss, r.loss);
  assert.equal(m?.val_acc, r.top1);
  for (const t of [...initial.values(), ...trained.values()]) t.dispose();
  net.dispose();
  assert.equal(liveTensors().tensors, before);
});

test('EMA in the fit loop: a run killed mid-epoch resumes its average exactly', async () => {
  const optim = { ...defaults(OptimSchema), epochs: 2, lr: 0.05, ema: 0.9 };
  const run = async (dir: string, stop?: number) => {
    const { net, d } = await setup(2);
    try {
      return trainNetwork(net, { stage: 't', dir, optim, runtime, data: d, evals: ['val'], progress: stop === undefined ? silentProgress : crashAfterSteps(stop) });
    } catch (e) {
      if (!(e instanceof SimulatedKill)) throw e;
      return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
    } finally { net.dispose(); }
  };
  const straight = await run(mkdtempSync(join(tmpdir(), 'lnas-ema-'))) as EpochMetrics[];
  const dir = mkdtempSync(join(tmpdir(), 'lnas-ema-'));
  assert.equal((await run(dir, 4)).length, 1);
  const resumed = await run(dir) as EpochMetrics[];
  const strip = (h: EpochMetrics[]) => h.map((m) => ({ ...m, epoch_time_s: 0, images_per_s: 0 }));
  assert.deepEqual(strip(resumed), strip(straight));
});
