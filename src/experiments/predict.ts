// `lnas predict`'s library side: classify image files, or score a dataset split, with ONNX Runtime.
// The model is an exported .onnx file (its lnas metadata gives the normalisation and class names)
// or a run folder, exported in memory first.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Batcher } from '../data/batcher.js';
import type { ImageSet } from '../data/types.js';
import { DataError } from '../errors.js';
import { defaults } from '../config/schema.js';
import { DataSchema } from '../data/config.js';
import { loadData } from '../data/setup.js';
import { imageSetOf } from '../export/images.js';
import { exportOnnx } from '../export/onnx.js';
import { decodeModel } from '../export/onnx-proto.js';
import { createSession, type OrtSession, runSession } from '../export/ort.js';
import { classLabels, loadRunModel } from './run-model.js';

export interface PredictModel {
  session: OrtSession;
  input: [number, number, number];
  classes: number;
  labels: string[];
  mean: number[];
  std: number[];
  dataset: string;
}

export interface Prediction { file: string; top: { class: number; label: string; prob: number }[] }

function fromMetadata(bytes: Uint8Array, source: string): Omit<PredictModel, 'session'> {
  const m = decodeModel(bytes);
  const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
  const need = (k: string) => {
    const v = meta[k];
    if (v === undefined) throw new DataError('LNAS_ONNX_NOT_LNAS', `${source} has no '${k}' metadata: it was not written by lnas export, so its normalisation is unknown`, { path: source });
    return JSON.parse(v) as unknown;
  };
  const input = (need('lnas.input') as { shape: [number, number, number] }).shape;
  const classes = Number(meta['lnas.classes']);
  return { input, classes, labels: need('lnas.labels') as string[], mean: need('lnas.mean') as number[], std: need('lnas.std') as number[], dataset: meta['lnas.dataset'] ?? '' };
}

export async function openPredictModel(source: string, threads: number): Promise<PredictModel> {
  if (!existsSync(source)) throw new DataError('LNAS_PREDICT_MODEL', `${source} does not exist; pass an .onnx file written by lnas export or a run folder`, { path: source });
  if (statSync(source).isDirectory()) {
    const rm = await loadRunModel(source);
    try {
      const bytes = exportOnnx(rm.model, { input: rm.input, metadata: rm.metadata });
      return { session: await createSession(bytes, threads), input: rm.input, classes: rm.classes, labels: classLabels(rm.dataset, rm.classes),
        mean: [...rm.mean], std: [...rm.std], dataset: rm.dataset };
    } finally {
      rm.model.dispose();
    }
  }
  const bytes = new Uint8Array(readFileSync(source));
  let meta: Omit<PredictModel, 'session'>;
  try { meta = fromMetadata(bytes, source); } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError('LNAS_ONNX_INVALID', `${source} is not an ONNX model: ${(e as Error).message}`, { path: source, cause: e });
  }
  return { session: await createSession(bytes, threads), ...meta };
}

function softmaxTop(logits: Float32Array, row: number, k: number, top: number, labels: readonly string[]): Prediction['top'] {
  const z = Array.from(logits.subarray(row * k, row * k + k));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v, i) => ({ class: i, label: labels[i] ?? String(i), prob: v / s })).sort((a, b) => b.prob - a.prob || a.class - b.class).slice(0, top);
}

async function* logitsOf(m: PredictModel, set: ImageSet, indices: Int32Array, batchSize = 64): AsyncGenerator<{ logits: Float32Array; y: Int32Array; size: number }> {
  const b = new Batcher(set, { batchSize, mean: m.mean, std: m.std, indices, shuffle: false, augment: null, layout: 'nchw' });
  for (const batch of b.batches()) yield { logits: await runSession(m.session, batch.x, [batch.size, ...m.input]), y: batch.y, size: batch.size };
}

export async function predictFiles(m: PredictModel, files: readonly string[], top: number): Promise<Prediction[]> {
  const set = imageSetOf(files, { channels: m.input[0], height: m.input[1], width: m.input[2], classes: m.classes });
  const out: Prediction[] = [];
  for await (const { logits, size } of logitsOf(m, set, Int32Array.from(files, (_, i) => i))) {
    for (let r = 0; r < size; r++) out.push({ file: files[out.length] as string, top: softmaxTop(logits, r, m.classes, top, m.labels) });
  }
  return out;
}

export interface SplitScore { dataset: string; split: 'train' | 'test'; images: number; accuracy: number; top_k: number; top_k_accuracy: number }

export async function predictSplit(m: PredictModel, split: 'train' | 'test', o: { dataDir: string | null; limit: number; top: number }): Promise<SplitScore> {
  const ds = await loadData({ ...defaults(DataSchema), dataset: m.dataset as never, dataDir: o.dataDir });
  const set = split === 'test' ? ds.test : ds.train;
  const n = o.limit > 0 ? Math.min(o.limit, set.n) : set.n;
  let c1 = 0;
  let ck = 0;
  const k = Math.min(o.top, m.classes);
  for await (const { logits, y, size } of logitsOf(m, set, Int32Array.from({ length: n }, (_, i) => i), 256)) {
    for (let r = 0; r < size; r++) {
      const ranked = softmaxTop(logits, r, m.classes, k, m.labels).map((t) => t.class);
      if (ranked[0] === y[r]) c1++;
      if (ranked.includes(y[r] as number)) ck++;
    }
  }
  return { dataset: m.dataset, split, images: n, accuracy: c1 / n, top_k: k, top_k_accuracy: ck / n };
}
