// The device suite: everything lnas runs, on CUDA against the CPU. It skips itself when libtorch
// sees no CUDA device. `node scripts/test.mjs --cuda` runs only this suite;
// LNAS_TEST_DEVICE=cpu runs it with the CPU standing in for the GPU (checks the suite itself).
import { Interrupted } from './errors.js';
import { abortAfterSteps } from './train/testing.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SyntheticDataset } from './data/synthetic.js';
import { Batcher } from './data/batcher.js';
import { runPaths } from './runs/paths.js';
import { smallCnn } from './models/small-cnn.js';
import type { Layer } from './nn/module.js';
import { disposeAll, loadSafetensors } from './nn/safetensors.js';
import { Adam } from './optim/adam.js';
import { SGD } from './optim/sgd.js';
import { searchStep } from './search/darts/architect.js';
import { Supernet } from './spaces/darts/supernet.js';
import { randint, randn } from './tensor/creation.js';
import { cudaDeviceCount, deviceMemory, useDevice, withDevice } from './tensor/device.js';
import { opCases } from './tensor/op-cases.js';
import { grad, liveTensors, manualSeed, setNumThreads } from './tensor/runtime.js';
import { scope } from './tensor/scope.js';
import type { Tensor } from './tensor/tensor.js';
import { RuntimeSchema } from './train/config.js';
import { defaults } from './config/schema.js';
import { runTrain, type TrainJob } from './experiments/train-job.js';
import { batchTensors, trainStep } from './train/loop.js';
import { silentProgress } from './train/progress.js';

const target = process.env.LNAS_TEST_DEVICE ?? (cudaDeviceCount() > 0 ? 'cuda:0' : null);
const skip = target === null ? 'no CUDA device (libtorch sees none): device suite skipped' : false;
const dev = target ?? 'cpu';
setNumThreads(1);
// Precise float32 on both sides: no TF32 in cuDNN convolutions.
function useDeviceCpu(): void { if (target !== null) useDevice('cpu', { tf32: false }); }
useDeviceCpu();

/** Max |a−b| − (atol + rtol·|b|) over the elements: ≤ 0 when a ≈ b at float32 tolerances. */
function excess(a: Tensor, b: Tensor, rtol = 1e-4, atol = 1e-5): number {
  const x = Array.from(a.toArray(), Number); const y = Array.from(b.toArray(), Number);
  assert.equal(x.length, y.length);
  let worst = -Infinity;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)) - (atol + rtol * Math.abs(y[i] as number)));
  return x.length ? worst : 0;
}

for (const [name, fn, make] of withDevice('cpu', () => opCases('float32'))) {
  test(`device: ${name}, forward and backward on ${dev} against the CPU`, { skip }, () => {
    scope(() => {
      manualSeed(7);
      const cpuIn = withDevice('cpu', make).map((t) => t.detach().requiresGrad_(true));
      const cpuOut = fn(...cpuIn);
      const up = randn(cpuOut.shape, { device: 'cpu' });
      const cpuGrads = grad([cpuOut], cpuIn, { gradOutputs: [up], allowUnused: true });
      const devIn = cpuIn.map((t) => t.detach().toDevice(dev).requiresGrad_(true));
      const devOut = withDevice(dev, () => fn(...devIn));
      assert.equal(devOut.device, dev);
      const devGrads = withDevice(dev, () => grad([devOut], devIn, { gradOutputs: [up.toDevice(dev)], allowUnused: true }));
      assert.ok(excess(devOut, cpuOut) <= 0, `${name}: forward differs by ${excess(devOut, cpuOut)} beyond tolerance`);
      cpuGrads.forEach((g, i) => {
        const d = devGrads[i];
        assert.equal(d === null, g === null, `${name}: input ${i} has a gradient on one device only`);
        if (g && d) assert.ok(excess(d, g, 1e-3, 1e-4) <= 0, `${name}: gradient ${i} differs by ${excess(d, g, 1e-3, 1e-4)} beyond tolerance`);
      });
    });
  });
}

function sameModelOn<T extends Layer>(make: () => T): { cpu: T; dev: T } {
  manualSeed(11); const cpu = withDevice('cpu', make);
  manualSeed(11); const d = withDevice('cpu', make).toDevice(dev);
  return { cpu, dev: d };
}

function maxExcess(a: Layer, b: Layer, rtol: number, atol: number): number {
  const pa = a.namedParameters(); const pb = new Map(b.namedParameters());
  return Math.max(...pa.map(([n, p]) => excess(pb.get(n) as Tensor, p, rtol, atol)));
}

test(`device: a training step (small CNN, channels_last, SGD) on ${dev} matches the CPU`, { skip }, () => {
  const { cpu, dev: onDev } = sameModelOn(() => smallCnn(3, 10, 8).toMemoryFormat('channelsLast'));
  const ds = new SyntheticDataset({ trainSize: 32, testSize: 8, height: 16, width: 16, seed: 1 });
  const batch = new Batcher(ds.train, { batchSize: 16, mean: ds.mean, std: ds.std, layout: 'nhwc', seed: 0 }).next();
  const g = { channels: 3, height: 16, width: 16 };
  const run = (m: Layer, device: string) => withDevice(device, () => {
    const opt = new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
    const losses = [0, 1, 2].map(() => scope(() => { const { x, y } = batchTensors(batch, g, 'nhwc'); assert.equal(x.device, device); return trainStep(m, opt, x, y, { clip: 5, labelSmoothing: 0 }).loss; }));
    opt.disposeState();
    return losses;
  });
  const a = run(cpu, 'cpu'); const b = run(onDev, dev);
  a.forEach((l, i) => assert.ok(Math.abs(l - (b[i] as number)) <= 1e-4 * Math.abs(l) + 1e-5, `step ${i}: loss ${b[i]} on ${dev}, ${l} on the CPU`));
  assert.ok(maxExcess(cpu, onDev, 1e-3, 1e-4) <= 0, 'weights after 3 steps differ beyond tolerance');
  cpu.dispose(); onDev.dispose();
});

test(`device: a first-order DARTS search step on ${dev} matches the CPU (α and weights)`, { skip }, () => {
  const make = () => new Supernet({ channels: 4, layers: 3, classes: 10 }).toMemoryFormat('channelsLast');
  manualSeed(11); const cpu = withDevice('cpu', make);
  manualSeed(11); const onDev = withDevice('cpu', make).toDevice(dev);
  for (const [a, b] of cpu.archParameters().map((p, i) => [p, onDev.archParameters()[i] as Tensor] as const)) assert.equal(excess(b.toDevice('cpu'), a, 0, 0), 0);
  const mk = () => { const x = randn([8, 3, 16, 16], { device: 'cpu' }).contiguous('channelsLast'); return { x: x.keep(), y: randint(0, 10, [8], { device: 'cpu' }).keep() }; };
  manualSeed(3); const train = mk(); const val = mk();
  const step = (net: Supernet, device: string) => withDevice(device, () => {
    const tr = { x: train.x.toDevice(device), y: train.y.toDevice(device) }; const va = { x: val.x.toDevice(device), y: val.y.toDevice(device) };
    const w = new SGD(net.parameters(), { lr: 0.025, momentum: 0.9, weightDecay: 3e-4 });
    const a = new Adam(net.archParameters(), { lr: 3e-4, beta1: 0.5, beta2: 0.999, weightDecay: 1e-3 });
    scope(() => { searchStep(net, tr, va, a, w, { order: 1, xi: 0.025, momentum: 0.9, weightDecay: 3e-4, clip: 5 }); });
    w.disposeState(); a.disposeState();
    if (device !== 'cpu') for (const t of [tr.x, tr.y, va.x, va.y]) t.dispose();
  });
  step(cpu, 'cpu'); step(onDev, dev);
  cpu.archParameters().forEach((a, i) => {
    const b = (onDev.archParameters()[i] as Tensor).toDevice('cpu');
    assert.ok(excess(b, a, 1e-3, 1e-6) <= 0, `α ${i} differs beyond tolerance after the search step`);
  });
  assert.ok(maxExcess(cpu, onDev, 1e-3, 1e-4) <= 0, 'weights differ beyond tolerance after the search step');
  for (const t of [train.x, train.y, val.x, val.y]) t.dispose();
  cpu.dispose(); onDev.dispose();
});

function job(device: string): TrainJob {
  return {
    data: { dataset: 'synthetic', dataDir: null, batchSize: 16, evalBatchSize: 32, valSize: 0, trainLimit: 64, testLimit: 32, crop: 'off', flip: 'off', cutout: 0 },
    model: { model: 'small-cnn', width: 8, genotype: null, channels: 36, layers: 20, auxiliary: false, auxWeight: 0.4, dropPath: 0 },
    optim: { epochs: 2, optimizer: 'sgd', lr: 0.02, momentum: 0.9, nesterov: false, weightDecay: 5e-4, schedule: 'cosine', etaMin: 0, warmupEpochs: 0,
      decayEvery: 2.4, decayRate: 0.97, clip: 5, labelSmoothing: 0, ema: 0, seed: 5 },
    prune: { sparsity: 0, schedule: 'one-shot', pruneAt: 0, rounds: 3, epochsPerRound: 1, scope: 'global', rewind: 0 },
    runtime: { ...defaults(RuntimeSchema), threads: 1, checkpointEvery: 1, device, deterministic: true },
  };
}

async function finalWeights(runsDir: string, devices: [string, string] | [string]): Promise<Map<string, Tensor>> {
  if (devices.length === 2) {
    // Stopped after 5 steps as Ctrl-C would: a checkpoint at that step, then Interrupted.
    await assert.rejects(runTrain(job(devices[0]), { runsDir, ...abortAfterSteps(5) }), Interrupted);
  }
  const done = await runTrain(job(devices[devices.length - 1] as string), { runsDir, progress: silentProgress });
  return withDevice('cpu', () => loadSafetensors(runPaths(done.run_dir).final).tensors);
}

for (const [from, to] of [[dev, 'cpu'], ['cpu', dev]] as const) {
  test(`device: a run checkpointed on ${from} resumes on ${to} and ends where an uninterrupted run does`, { skip }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'lnas-device-'));
    try {
      const whole = await finalWeights(join(root, 'a'), [from]);
      const resumed = await finalWeights(join(root, 'b'), [from, to]);
      useDeviceCpu();
      assert.deepEqual([...resumed.keys()].sort(), [...whole.keys()].sort());
      for (const [n, t] of whole) assert.ok(excess(resumed.get(n) as Tensor, t, 1e-3, 1e-4) <= 0, `${n} differs beyond tolerance`);
      disposeAll(whole); disposeAll(resumed);
    } finally {
      useDeviceCpu();
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test(`device: 1,000 training steps on ${dev} do not grow device memory`, { skip }, () => {
  useDevice(dev, { tf32: false });
  try {
    manualSeed(0);
    const model = smallCnn(3, 10, 8).toMemoryFormat('channelsLast');
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
    const ds = new SyntheticDataset({ trainSize: 256, testSize: 8, height: 16, width: 16, seed: 1 });
    const b = new Batcher(ds.train, { batchSize: 8, mean: ds.mean, std: ds.std, layout: 'nhwc', seed: 0, augment: { padding: 2, flip: true, cutout: 0 } });
    const g = { channels: 3, height: 16, width: 16 };
    const mem = () => { const m = deviceMemory(dev); return { live: dev === 'cpu' ? liveTensors().bytes : m.live, allocated: m.allocated, tensors: liveTensors().tensors }; };
    let warm = mem();
    for (let i = 0; i < 1000; i++) {
      scope(() => { const { x, y } = batchTensors(b.next(), g, 'nhwc'); trainStep(model, opt, x, y, { clip: 5, labelSmoothing: 0 }); });
      if (i === 99) warm = mem();
    }
    const end = mem();
    if (dev !== 'cpu') assert.ok(end.live > 0, 'the model lives on the device');
    assert.equal(end.tensors, warm.tensors, 'live tensor handles after 100 and 1,000 steps');
    assert.equal(end.live, warm.live, 'bytes held by live tensors on the device after 100 and 1,000 steps');
    if (end.allocated !== null && warm.allocated !== null) assert.equal(end.allocated, warm.allocated, 'CUDA allocator bytes in use after 100 and 1,000 steps');
    opt.disposeState(); model.dispose();
  } finally {
    useDeviceCpu();
  }
});
