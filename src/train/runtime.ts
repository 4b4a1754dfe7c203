// Applies a job's execution settings to the process: libtorch's thread count, the compute device
// and the seeds.
import { availableParallelism } from 'node:os';
import { useDevice } from '../tensor/device.js';
import { manualSeed, setNumThreads } from '../tensor/runtime.js';
import type { RuntimeConfig } from './config.js';

/** Sets the threads (0: all cores) and the device, seeds libtorch and TypeScript sources; returns the threads used. */
export function applyRuntime(r: Pick<RuntimeConfig, 'threads' | 'device' | 'deterministic'>, seed: number): number {
  const threads = r.threads || availableParallelism();
  setNumThreads(threads);
  useDevice(r.device, { deterministic: r.deterministic });
  manualSeed(seed);
  return threads;
}
