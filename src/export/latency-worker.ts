// The worker thread of LatencyMeter: measures each posted model and hands the result back through
// shared memory, waking the thread that waits on it. Every failure is reported, never thrown,
// since the waiting thread cannot receive an error event while it blocks.
import { parentPort } from 'node:worker_threads';
import { LATENCY_FIELDS, type LatencyOptions, measureOnnxLatency } from './latency-core.js';

interface Job { bytes: Uint8Array; input: [number, number, number]; options: LatencyOptions; shared: SharedArrayBuffer }

parentPort?.on('message', (job: Job) => {
  const state = new Int32Array(job.shared, 0, 2);
  measureOnnxLatency(job.bytes, job.input, job.options).then((r) => {
    const values = new Float64Array(job.shared, 8, LATENCY_FIELDS.length);
    LATENCY_FIELDS.forEach((k, i) => { values[i] = r[k]; });
    Atomics.store(state, 0, 1);
  }, (e: unknown) => {
    const msg = new TextEncoder().encode(String((e as Error)?.message ?? e)).slice(0, 4096);
    new Uint8Array(job.shared, 8 + 8 * LATENCY_FIELDS.length, msg.length).set(msg);
    state[1] = msg.length;
    Atomics.store(state, 0, 2);
  }).finally(() => Atomics.notify(state, 0));
});
