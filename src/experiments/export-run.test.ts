// Exported networks checked by runtimes that are not lnas: every ONNX file is loaded by ONNX
// Runtime (onnxruntime-node) and must reproduce lnas's eval forward on 64 real CIFAR-10 test images
// (max |difference| <= 1e-4, same top-1 for every image) and the accuracy the run reported; every
// safetensors file is read by a separate numpy script and compared tensor by tensor.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { Batcher } from '../data/batcher.js';
import { defaults } from '../config/schema.js';
import { LnasError } from '../errors.js';
import { Conv2d, Fn, Sequential } from '../nn/layers.js';
import { Layer } from '../nn/module.js';
import { Mask } from '../pruning/mask.js';
import { type CandidateResult, trainCandidate } from '../search/menas/candidate.js';
import { candidatePayload } from '../search/menas/payloads.js';
import { tinyConfig } from '../search/menas/testing.js';
import { retrainGenome } from '../search/menas/retrain.js';
import { retrainPayload } from '../search/menas/payloads.js';
import { Rng } from '../util/rng.js';
import { evolveSpace } from '../search/menas/evolve.js';
import { tensor } from '../tensor/creation.js';
import { noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { DataSchema } from '../data/config.js';
import { ModelSchema } from './models.js';
import { OptimSchema, RuntimeSchema } from '../train/config.js';
import { PruneSchema } from '../pruning/config.js';
import { loadData } from '../data/setup.js';
import { runTrain, type TrainSummary } from './train-job.js';
import { exportRun, type ExportResult } from './export-run.js';
import { exportOnnx, OPSET, UnsupportedExportError } from '../export/onnx.js';
import { decodeModel } from '../export/onnx-proto.js';
import { createSession, runSession } from '../export/ort.js';
import { loadRunModel } from './run-model.js';
import type { LoadedDataset } from '../data/types.js';

setNumThreads(1);
const dataDir = process.env['LNAS_DATA_DIR'] ?? '/work/shared/data';
const hasCifar = existsSync(join(dataDir, 'cifar-10-batches-bin')) || existsSync(join(dataDir, 'cifar-10-jpegq75-batches-bin'));
const skip = hasCifar ? false : `CIFAR-10 not found under ${dataDir}; set LNAS_DATA_DIR`;
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CHECKER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'export', 'check_onnx.py');
const READER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'export', 'read_safetensors.py');
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

const quiet = { update() {}, log() {}, done() {} };
const ctx = { id: 't', threads: 1, progress: quiet };
const N = 64;

let ds: LoadedDataset;
let runs: string;
const folders: Record<string, string> = {};
let trained: { small?: TrainSummary; darts?: TrainSummary } = {};
let candidate: CandidateResult;

/** The first 64 CIFAR-10 test images, normalised, NCHW. */
function testImages(): { x: Float32Array; y: Int32Array } {
  const b = new Batcher(ds.test, { batchSize: N, mean: ds.mean, std: ds.std, indices: Int32Array.from({ length: N }, (_, i) => i), shuffle: false, augment: null, layout: 'nchw' });
  const batch = b.next();
  return { x: batch.x, y: batch.y };
}

function lnasLogits(model: Layer, x: Float32Array, n: number): Float32Array {
  return noGrad(() => scope(() => model.forward(tensor(x, [n, 3, 32, 32])).toArray() as Float32Array));
}

const argmax = (v: Float32Array, row: number, k: number) => {
  let best = 0;
  for (let j = 1; j < k; j++) if ((v[row * k + j] as number) > (v[row * k + best] as number)) best = j;
  return best;
};

function compare(a: Float32Array, b: Float32Array, n: number, k: number): { maxDiff: number; sameTop1: number } {
  assert.equal(a.length, n * k);
  assert.equal(b.length, n * k);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
  let sameTop1 = 0;
  for (let r = 0; r < n; r++) if (argmax(a, r, k) === argmax(b, r, k)) sameTop1++;
  return { maxDiff, sameTop1 };
}

const job = (over: { data?: object; model?: object; optim?: object; prune?: object }) => ({
  data: { ...defaults(DataSchema), dataDir, testLimit: N, batchSize: 64, evalBatchSize: 64, ...over.data },
  model: { ...defaults(ModelSchema), ...over.model },
  optim: { ...defaults(OptimSchema), ...over.optim },
  prune: { ...defaults(PruneSchema), ...over.prune },
  runtime: { ...defaults(RuntimeSchema), threads: 1 },
});

before(async () => {
  if (!hasCifar) return;
  ds = await loadData({ ...defaults(DataSchema), dataset: 'cifar10', dataDir });
  runs = mkdtempSync(join(tmpdir(), 'lnas-export-'));
  const t = await Promise.all([
    runTrain(job({ data: { trainLimit: 512 } }) as never, { runsDir: runs, progress: quiet }),
    // LNAS Variant 1: half the weights pruned after the first epoch, rewound and retrained.
    runTrain(job({ data: { trainLimit: 192 }, model: { model: 'darts', genotype: 'DARTS_V2', channels: 4, layers: 3 }, optim: { epochs: 2 }, prune: { sparsity: 0.5, pruneAt: 1 } }) as never,
      { runsDir: runs, progress: quiet }),
  ]);
  trained = { small: t[0] as TrainSummary, darts: t[1] as TrainSummary };
  folders.small = (t[0] as TrainSummary).run_dir;
  folders.darts = (t[1] as TrainSummary).run_dir;
  // A MENAS candidate on real images: trained, pruned to its lottery ticket, BN re-calibrated.
  const cfg = tinyConfig();
  // 640 training images: enough steps for BatchNorm's running statistics to follow the weights.
  const data = { ...cfg.data, dataset: 'cifar10' as const, dataDir, trainLimit: 704 };
  const real = { ...cfg, data, syntheticSize: 32 };
  const space = evolveSpace(real);
  const genome = space.sample(new Rng(5));
  const p = candidatePayload(real, runs, genome);
  candidate = await trainCandidate(p, ctx);
  folders.candidate = p.dir;
  const r = retrainPayload({ ...real, final: { ...real.final, trainLimit: 640, batchSize: 32, optim: { ...real.final.optim, ema: 0.9 } } }, runs, genome, 'final', 3);
  await retrainGenome(r, ctx);
  folders.retrain = r.dir;
});

const exported: Record<string, ExportResult> = {};
async function exportOf(key: string, network?: 'candidate' | 'ticket'): Promise<ExportResult> {
  const id = `${key}${network ?? ''}`;
  exported[id] ??= await exportRun(folders[key] as string, { format: 'all', out: join(runs, 'exports', id), ...(network ? { network } : {}) });
  return exported[id] as ExportResult;
}

for (const [key, network] of [['small'], ['darts'], ['candidate', 'ticket'], ['candidate', 'candidate'], ['retrain']] as const) {
  test(`${key}${network ? ` (${network})` : ''}: ONNX Runtime reproduces lnas's eval forward on 64 real CIFAR-10 images`, { skip }, async () => {
    const e = await exportOf(key, network);
    const onnx = e.files.find((f) => f.format === 'onnx')?.path as string;
    const rm = await loadRunModel(folders[key] as string, network ? { network } : {});
    try {
      const { x, y } = testImages();
      const ref = lnasLogits(rm.model, x, N);
      const session = await createSession(onnx, 1);
      const got = await runSession(session, x, [N, 3, 32, 32]);
      const c = compare(ref, got, N, 10);
      assert.ok(c.maxDiff <= 1e-4, `max abs difference ${c.maxDiff}`);
      assert.equal(c.sameTop1, N);
      // The logits are not trivially equal: they vary from image to image.
      const first = Array.from({ length: N }, (_, r) => got[r * 10] as number);
      assert.ok(Math.max(...first) - Math.min(...first) > 1e-3, `the logits do not depend on the image: ${Math.min(...first)}..${Math.max(...first)}`);
      // Dynamic batch: one image at a time gives the same logits.
      const one = await runSession(session, x.subarray(0, 3 * 32 * 32), [1, 3, 32, 32]);
      assert.ok(compare(ref.subarray(0, 10), one, 1, 10).maxDiff <= 1e-4);
      // Accuracy the run reported on the same 64 test images (train runs evaluate exactly these).
      if (key === 'small' || key === 'darts') {
        let correct = 0;
        for (let r = 0; r < N; r++) if (argmax(got, r, 10) === y[r]) correct++;
        assert.equal(correct / N, (trained[key] as TrainSummary).test_acc);
      }
      // Metadata: opset, architecture, normalisation.
      const m = decodeModel(new Uint8Array(readFileSync(onnx)));
      assert.equal(m.opsetImport[0]?.version, OPSET);
      const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
      assert.equal(meta['lnas.dataset'], 'cifar10');
      assert.deepEqual(JSON.parse(meta['lnas.mean'] as string), ds.mean);
      const arch = JSON.parse(meta['lnas.architecture'] as string) as Record<string, unknown>;
      if (key === 'darts') { assert.ok(arch.genotype); assert.match(meta['lnas.genotype'] as string, /^Genotype\(normal=/); }
      if (key === 'candidate' || key === 'retrain') {
        assert.deepEqual(arch.genome, network === 'ticket' ? candidate.ticket : candidate.genome);
        assert.deepEqual(JSON.parse(meta['lnas.blocks'] as string), network === 'ticket' ? candidate.ticket_blocks : candidate.blocks);
      }
    } finally {
      rm.model.dispose();
    }
  });
}

test('the ticket as exported scores on the held-out images what the MENAS trial reported', { skip }, async () => {
  const e = await exportOf('candidate', 'ticket');
  const session = await createSession(e.files.find((f) => f.format === 'onnx')?.path as string, 1);
  const { trialData } = await import('../search/menas/data.js');
  const cfg = tinyConfig();
  const data = trialData(ds, { ...cfg.data, dataset: 'cifar10', dataDir, trainLimit: 704 }, { layout: 'nchw', seed: cfg.optim.seed, recalImages: cfg.ticket.recalImages });
  let correct = 0;
  let n = 0;
  for (const b of data.valSet.batches) {
    const logits = await runSession(session, b.x, [b.size, 3, 32, 32]);
    for (let r = 0; r < b.size; r++) if (argmax(logits, r, 10) === b.y[r]) correct++;
    n += b.size;
  }
  assert.equal(n, cfg.data.valSize);
  assert.equal(correct / n, candidate.ticket_acc);
});

test('safetensors exports read by an independent numpy reader match lnas tensor by tensor; pruned weights are zeros', { skip }, async () => {
  for (const key of ['small', 'darts', 'candidate', 'retrain']) {
    const e = await exportOf(key, key === 'candidate' ? 'ticket' : undefined);
    const file = e.files.find((f) => f.format === 'safetensors')?.path as string;
    const r = spawnSync(python, [READER, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const read = JSON.parse(r.stdout) as { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; sum: number; zeros: number; first: number[]; sha256: string }> };
    const rm = await loadRunModel(folders[key] as string, key === 'candidate' ? { network: 'ticket' } : {});
    try {
      const state = rm.model.stateDict();
      assert.deepEqual(Object.keys(read.tensors).sort(), [...state.keys()].sort());
      for (const [name, t] of state) {
        const got = read.tensors[name] as (typeof read.tensors)[string];
        const arr = (t as Tensor).toArray();
        assert.deepEqual(got.shape, [...t.shape], name);
        assert.equal(got.dtype, { float32: 'F32', int64: 'I64' }[t.dtype as 'float32' | 'int64'], name);
        assert.equal(got.sha256, createHash('sha256').update(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)).digest('hex'), name);
        assert.deepEqual(got.first, Array.from(arr.subarray(0, 4), Number), name);
      }
      assert.equal(read.metadata['lnas.architecture'], rm.metadata['lnas.architecture']);
      if (key === 'darts') {
        // Every weight the Variant 1 mask prunes is an exact zero in the file.
        const mask = Mask.load(join(folders.darts as string, 'mask.safetensors'));
        try {
          let pruned = 0;
          for (const [name, c] of mask.counts()) {
            pruned += c.total - c.kept;
            assert.ok((read.tensors[name]?.zeros ?? 0) >= c.total - c.kept, name);
          }
          assert.ok(pruned > 0);
          assert.ok(Math.abs(Number(read.metadata['lnas.sparsity']) - 0.5) < 0.01);
        } finally {
          mask.dispose();
        }
      }
    } finally {
      rm.model.dispose();
    }
  }
});

test('the ONNX project\'s checker (python3-onnx, full check with strict shape inference) accepts every export', { skip }, async () => {
  const keys = [['small'], ['darts'], ['candidate', 'ticket'], ['candidate', 'candidate'], ['retrain']] as const;
  const files: string[] = [];
  for (const [key, network] of keys) files.push((await exportOf(key, network)).files.find((f) => f.format === 'onnx')?.path as string);
  const r = spawnSync(python, [CHECKER, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; opset: number; output_shape: (string | number)[]; metadata: string[] });
  assert.deepEqual(out.map((o) => o.file), files);
  for (const o of out) {
    assert.equal(o.opset, OPSET);
    assert.deepEqual(o.output_shape, ['batch', 10]);
    assert.ok(o.metadata.includes('lnas.architecture') && o.metadata.includes('lnas.mean'));
  }
});

test('an op without an ONNX mapping is a typed error naming the op and where it is', () => {
  class Gelu extends Layer { forward(x: Tensor): Tensor { return x; } }
  const cases: [Layer, RegExp][] = [
    [new Sequential(new Conv2d(3, 4, 3, { padding: 1 }), new Gelu()), /op 'Gelu' at '1'/],
    [new Sequential(new Conv2d(3, 4, 3), new Fn('softplus', (x) => x)), /op 'softplus' at '1'/],
    [new Sequential(new Fn('adaptive_avg_pool2d', (x) => x, { size: 3 })), /op 'adaptive_avg_pool2d' at '0'.*uneven/],
  ];
  for (const [model, message] of cases) {
    assert.throws(() => exportOnnx(model, { input: [3, 32, 32] }), (e: unknown) => e instanceof UnsupportedExportError && e instanceof LnasError
      && e.code === 'LNAS_EXPORT_UNSUPPORTED' && message.test(e.message));
    model.dispose();
  }
});

test('lnas export: JSON summary of the files; a folder that holds no network is a typed error without a stack', { skip }, () => {
  const out = join(runs, 'cli-export');
  const r = spawnSync(process.execPath, [CLI, 'export', folders.small as string, '--out', out, '--batch', '1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as ExportResult;
  assert.deepEqual(s.files.map((f) => f.format), ['onnx', 'safetensors']);
  const m = decodeModel(new Uint8Array(readFileSync(join(out, 'model.onnx'))));
  assert.deepEqual(m.graph.input[0]?.type.tensorType.shape.dim.map((d) => ('dimValue' in d ? d.dimValue : d.dimParam)), [1, 3, 32, 32]);
  for (const [args, code] of [[[runs], 'LNAS_EXPORT_NOT_A_RUN'], [[folders.small as string, '--network', 'ticket'], 'LNAS_CONFIG']] as const) {
    const bad = spawnSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, new RegExp(code));
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  }
});

/** Test image i of CIFAR-10 as RGBA pixels. */
function rgbaOf(i: number): Buffer {
  const plane = 32 * 32;
  const rgba = Buffer.alloc(4 * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) rgba[4 * p + c] = ds.test.images[i * 3 * plane + c * plane + p] as number;
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}

test('lnas predict: PNG and JPEG files get the classes ONNX Runtime gives those pixels; --split test scores what the run reported', { skip }, async () => {
  const e = await exportOf('small');
  const onnx = e.files.find((f) => f.format === 'onnx')?.path as string;
  const dir = mkdtempSync(join(tmpdir(), 'lnas-predict-'));
  const { default: pngjs } = await import('pngjs');
  const { default: jpeg } = await import('jpeg-js');
  const files: string[] = [];
  for (const i of [0, 1, 2]) {
    const png = new pngjs.PNG({ width: 32, height: 32 });
    png.data.set(new Uint8Array(rgbaOf(i)));
    files.push(join(dir, `img${i}.png`));
    writeFileSync(files[files.length - 1] as string, new Uint8Array(pngjs.PNG.sync.write(png)));
  }
  files.push(join(dir, 'img0.jpg'));
  writeFileSync(files[3] as string, new Uint8Array(jpeg.encode({ data: rgbaOf(0), width: 32, height: 32 }, 95).data));
  const r = spawnSync(process.execPath, [CLI, 'predict', onnx, ...files, '--top', '3'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; top: { class: number; label: string; prob: number }[] });
  assert.deepEqual(lines.map((l) => l.file), files);
  const session = await createSession(onnx, 1);
  const { x } = testImages();
  const logits = await runSession(session, x, [N, 3, 32, 32]);
  for (const i of [0, 1, 2]) {
    const l = lines[i] as (typeof lines)[number];
    assert.equal(l.top.length, 3);
    assert.equal(l.top[0]?.class, argmax(logits, i, 10));
    assert.equal(l.top[0]?.label, ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'][l.top[0]?.class as number]);
    assert.ok(l.top.every((t, j) => t.prob > 0 && t.prob <= 1 && (j === 0 || t.prob <= (l.top[j - 1]?.prob as number))));
  }
  const split = spawnSync(process.execPath, [CLI, 'predict', folders.small as string, '--split', 'test', '--limit', String(N), '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(split.status, 0, split.stderr);
  const s = JSON.parse(split.stdout) as { images: number; accuracy: number; top_k: number; top_k_accuracy: number };
  assert.equal(s.images, N);
  assert.equal(s.accuracy, (trained.small as TrainSummary).test_acc);
  assert.equal(s.top_k_accuracy, (trained.small as TrainSummary).test_top5);
  // Bad input: a file that is no image, an image of the wrong size, a flag that does not apply.
  writeFileSync(join(dir, 'notes.png'), 'not an image');
  const small = new pngjs.PNG({ width: 8, height: 8 });
  writeFileSync(join(dir, 'small.png'), new Uint8Array(pngjs.PNG.sync.write(small)));
  for (const [args, code] of [[[onnx, join(dir, 'notes.png')], 'LNAS_IMAGE_FORMAT'], [[onnx, join(dir, 'small.png')], 'LNAS_IMAGE_SIZE'],
    [[onnx, files[0] as string, '--limit', '3'], 'LNAS_CONFIG'], [[join(dir, 'notes.png'), files[0] as string], 'LNAS_ONNX_INVALID']] as const) {
    const bad = spawnSync(process.execPath, [CLI, 'predict', ...args], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, new RegExp(code), bad.stderr);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  }
});
