// `lnas bench export --folders a,b`: for each run folder, what an export costs and how it runs:
// export time and file sizes, ONNX Runtime against lnas's eval forward on the first 64 test
// images (max |difference|, top-1 agreement), and inference throughput of both at batch 1 and 64
// with the same thread count. `lnas bench latency --folders a`: the latency measurer's
// repeatability (5 measurements) and its cost against one training epoch of the run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Batcher } from '../data/batcher.js';
import { defaults } from '../config/schema.js';
import { exportOnnx } from '../export/onnx.js';
import { writeExports } from '../experiments/export-run.js';
import { measureOnnxLatency } from '../export/latency.js';
import { createSession, runSession } from '../export/ort.js';
import { loadRunModel } from '../experiments/run-model.js';
import { tensor } from '../tensor/creation.js';
import { noGrad, setNumThreads } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { DataSchema } from '../data/config.js';
import { loadData } from '../data/setup.js';
import { median } from './measure.js';

export interface ExportBenchOptions { threads: number; warmup: number; repeats: number; dataDir: string | null }

async function timeAsync(fn: () => Promise<unknown>, warmup: number, repeats: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

export async function benchExport(folder: string, o: ExportBenchOptions): Promise<Record<string, unknown>> {
  setNumThreads(o.threads);
  const t0 = performance.now();
  const rm = await loadRunModel(folder);
  const loadS = (performance.now() - t0) / 1000;
  const out = mkdtempSync(join(tmpdir(), 'lnas-bench-export-'));
  try {
    const files = writeExports(rm, out, 'model', { format: 'all' });
    const onnxFile = files.find((f) => f.format === 'onnx')?.path as string;
    const ds = await loadData({ ...defaults(DataSchema), dataset: rm.dataset as never, dataDir: o.dataDir });
    const n = 64;
    const [c, h, w] = rm.input;
    const batch = new Batcher(ds.test, { batchSize: n, mean: rm.mean, std: rm.std, indices: Int32Array.from({ length: n }, (_, i) => i), shuffle: false, augment: null, layout: 'nchw' }).next();
    const session = await createSession(onnxFile, o.threads);
    const got = await runSession(session, batch.x, [n, c, h, w]);
    // lnas's eval forward in its fast layout (channels_last), as `lnas train` evaluates.
    rm.model.toMemoryFormat('channelsLast');
    const forward = (x: Float32Array, b: number) => noGrad(() => scope(() => rm.model.forward(tensor(x, [b, c, h, w]).contiguous('channelsLast')).toArray() as Float32Array));
    const ref = forward(batch.x, n);
    const k = rm.classes;
    let maxDiff = 0;
    for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs((ref[i] as number) - (got[i] as number)));
    const top = (v: Float32Array, r: number) => { let b = 0; for (let j = 1; j < k; j++) if ((v[r * k + j] as number) > (v[r * k + b] as number)) b = j; return b; };
    let agree = 0;
    for (let r = 0; r < n; r++) if (top(ref, r) === top(got, r)) agree++;
    const speed: Record<string, number> = {};
    for (const b of [1, 64]) {
      const x = batch.x.subarray(0, b * c * h * w);
      const lnasS = await timeAsync(async () => { forward(x, b); }, o.warmup, o.repeats);
      const ortS = await timeAsync(() => runSession(session, x, [b, c, h, w]), o.warmup, o.repeats);
      speed[`lnas_b${b}_img_s`] = b / lnasS;
      speed[`ort_b${b}_img_s`] = b / ortS;
    }
    await session.release();
    return {
      impl: 'lnas', model: 'export', folder, family: rm.family, role: rm.role, parameters: rm.model.parameterCount(), threads: o.threads,
      load_s: loadS, onnx_export_s: files[0]?.seconds, onnx_bytes: files[0]?.bytes, safetensors_export_s: files[1]?.seconds, safetensors_bytes: files[1]?.bytes,
      images: n, max_abs_diff: maxDiff, top1_agree: agree, ...speed, warmup: o.warmup, repeats: o.repeats,
    };
  } finally {
    rm.model.dispose();
    rmSync(out, { recursive: true, force: true });
  }
}

/** Five latency measurements of the folder's network (each a fresh session), their coefficient of variation, and the cost against one epoch. */
export async function benchLatency(folder: string, o: { threads: number; warmup: number; repeats: number; measurements: number }): Promise<Record<string, unknown>> {
  setNumThreads(o.threads);
  const rm = await loadRunModel(folder);
  try {
    const t0 = performance.now();
    const bytes = exportOnnx(rm.model, { input: rm.input, batch: 1 });
    const exportMs = performance.now() - t0;
    const runs = [];
    for (let i = 0; i < o.measurements; i++) runs.push(await measureOnnxLatency(bytes, rm.input, { threads: o.threads, warmup: o.warmup, repeats: o.repeats }));
    const medians = runs.map((r) => r.median_ms);
    const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
    const sd = Math.sqrt(medians.reduce((a, m) => a + (m - mean) ** 2, 0) / Math.max(1, medians.length - 1));
    const costMs = exportMs + median(runs.map((r) => r.total_ms));
    // One training epoch of the run, where the folder records it (MENAS candidates: result.json; train runs: summary.json).
    let epochS: number | null = null;
    for (const f of ['result.json', 'summary.json']) {
      const p = join(folder, f);
      if (!existsSync(p)) continue;
      const j = JSON.parse(readFileSync(p, 'utf8')) as { epoch_times?: number[]; history?: { epoch_time_s?: number }[] };
      const times = j.epoch_times ?? (j.history ?? []).map((m) => m.epoch_time_s).filter((t): t is number => typeof t === 'number');
      if (times.length) { epochS = median(times); break; }
    }
    return {
      impl: 'lnas', model: 'latency', folder, family: rm.family, role: rm.role, threads: o.threads, warmup: o.warmup, repeats: o.repeats,
      medians_ms: medians, mean_ms: mean, cv: sd / mean, export_ms: exportMs, cost_per_candidate_ms: costMs,
      epoch_s: epochS, cost_in_epochs: epochS === null ? null : costMs / 1000 / epochS,
    };
  } finally {
    rm.model.dispose();
  }
}
