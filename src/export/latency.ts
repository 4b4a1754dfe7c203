// Latency on this machine as ONNX Runtime runs the network: export to ONNX in memory, one CPU
// session with fixed threads, warm-up runs, then the median of timed batch-1 runs. measureLatency
// is async (ONNX Runtime's API); LatencyMeter.measureSync runs the same measurement in a worker
// thread and blocks on it, for synchronous callers such as a search engine's constraint check.
import { Worker } from 'node:worker_threads';
import { LnasError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { exportOnnx } from './onnx.js';
import { checkOptions, LATENCY_FIELDS as RESULT_FIELDS, type Latency, type LatencyOptions, measureOnnxLatency } from './latency-core.js';

export { type Latency, type LatencyOptions, measureOnnxLatency } from './latency-core.js';

/** Batch-1 latency of an lnas network (exported in memory; eval-mode semantics). */
export async function measureLatency(model: Layer, input: readonly [number, number, number], o: LatencyOptions = {}): Promise<Latency> {
  const t0 = performance.now();
  const bytes = exportOnnx(model, { input: [...input] as [number, number, number], batch: 1 });
  const r = await measureOnnxLatency(bytes, input, o);
  return { ...r, total_ms: performance.now() - t0 };
}

// ---- synchronous measurements through a worker thread ----------------------------------------

/** How long a synchronous measurement may take before it is given up as hung. */
const SYNC_TIMEOUT_MS = 120_000;

/** A worker thread that measures ONNX bytes while the calling thread waits (Atomics.wait). */
export class LatencyMeter {
  private readonly worker: Worker;
  constructor(private readonly options: LatencyOptions = {}) {
    checkOptions(options);
    this.worker = new Worker(new URL('./latency-worker.js', import.meta.url));
    this.worker.unref();
  }

  measureSync(bytes: Uint8Array, input: readonly [number, number, number]): Latency {
    // [0]: state (0 running, 1 done, 2 failed), [1]: error message length; then results; then the message.
    const shared = new SharedArrayBuffer(8 + 8 * RESULT_FIELDS.length + 4096);
    const state = new Int32Array(shared, 0, 2);
    this.worker.postMessage({ bytes, input, options: this.options, shared });
    const waited = Atomics.wait(state, 0, 0, SYNC_TIMEOUT_MS);
    if (waited === 'timed-out') throw new LnasError('LNAS_LATENCY', `a latency measurement took longer than ${SYNC_TIMEOUT_MS / 1000} s`);
    if (Atomics.load(state, 0) === 2) {
      const n = state[1] as number;
      const msg = new TextDecoder().decode(new Uint8Array(shared, 8 + 8 * RESULT_FIELDS.length, n).slice());
      throw new LnasError('LNAS_LATENCY', `latency measurement failed: ${msg}`);
    }
    const values = new Float64Array(shared, 8, RESULT_FIELDS.length);
    return Object.fromEntries(RESULT_FIELDS.map((k, i) => [k, values[i] as number])) as unknown as Latency;
  }

  /** Batch-1 latency of an lnas network, synchronously. */
  measureModelSync(model: Layer, input: readonly [number, number, number]): Latency {
    const t0 = performance.now();
    const r = this.measureSync(exportOnnx(model, { input: [...input] as [number, number, number], batch: 1 }), input);
    return { ...r, total_ms: performance.now() - t0 };
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
