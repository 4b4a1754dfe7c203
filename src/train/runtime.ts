// Applies a job's execution settings to the process: libtorch's thread count and the seeds.
import { availableParallelism } from 'node:os';
import { manualSeed, setNumThreads } from '../tensor/runtime.js';
import type { RuntimeConfig } from './config.js';

/** Sets the threads (0: all cores) and seeds libtorch and TypeScript sources; returns the threads used. */
export function applyRuntime(r: Pick<RuntimeConfig, 'threads'>, seed: number): number {
  const threads = r.threads || availableParallelism();
  setNumThreads(threads);
  manualSeed(seed);
  return threads;
}
