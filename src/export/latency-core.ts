// The measurement itself, free of lnas's tensor engine so that a worker thread can load it:
// one ONNX Runtime CPU session with fixed threads, warm-up runs, then timed batch-1 runs.
import { LnasError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { createSession, runSession } from './ort.js';

export interface LatencyOptions {
  /** ONNX Runtime intra-op threads (default 1). */
  threads?: number;
  /** Untimed runs first (default 5). */
  warmup?: number;
  /** Timed runs (default 20); the median is the latency. */
  repeats?: number;
}

export interface Latency {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  repeats: number;
  warmup: number;
  threads: number;
  /** Creating the session (graph optimisation included). */
  session_ms: number;
  /** Everything: export (when measured from a module), session, warm-up and timed runs. */
  total_ms: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export function checkOptions(o: LatencyOptions): Required<LatencyOptions> {
  const r = { threads: o.threads ?? 1, warmup: o.warmup ?? 5, repeats: o.repeats ?? 20 };
  for (const [k, v, min] of [['threads', r.threads, 1], ['warmup', r.warmup, 0], ['repeats', r.repeats, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new LnasError('LNAS_CONFIG', `latency ${k} must be an integer >= ${min}, got ${v}`, { path: `latency.${k}` });
  }
  return r;
}

/** Batch-1 latency of serialized ONNX bytes whose input is [1, ...input]. */
export async function measureOnnxLatency(bytes: Uint8Array, input: readonly [number, number, number], o: LatencyOptions = {}): Promise<Latency> {
  const opts = checkOptions(o);
  const t0 = performance.now();
  const session = await createSession(bytes, opts.threads);
  const t1 = performance.now();
  const rng = new Rng(0);
  const x = Float32Array.from({ length: input[0] * input[1] * input[2] }, () => rng.next() * 2 - 1);
  const shape = [1, ...input];
  try {
    for (let i = 0; i < opts.warmup; i++) await runSession(session, x, shape);
    const times: number[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      const s = performance.now();
      await runSession(session, x, shape);
      times.push(performance.now() - s);
    }
    return { median_ms: median(times), min_ms: Math.min(...times), max_ms: Math.max(...times), repeats: opts.repeats, warmup: opts.warmup,
      threads: opts.threads, session_ms: t1 - t0, total_ms: performance.now() - t0 };
  } finally {
    await session.release();
  }
}

export const LATENCY_FIELDS = ['median_ms', 'min_ms', 'max_ms', 'repeats', 'warmup', 'threads', 'session_ms', 'total_ms'] as const;
