// Timing helpers for benchmarks: warm-up, repeats, medians, peak RSS.
import { readFileSync } from 'node:fs';
import { synchronize } from '../tensor/device.js';

export interface Timing { median_s: number; runs_s: number[] }

/** Times fn; on a GPU each timed run ends when the device's queued work has finished. */
export function timeIt(fn: () => void, warmup: number, repeats: number): Timing {
  for (let i = 0; i < warmup; i++) fn();
  synchronize();
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    synchronize();
    runs.push((performance.now() - t0) / 1000);
  }
  return { median_s: median(runs), runs_s: runs };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Peak resident set size of this process in MB (VmHWM), or NaN where /proc is absent. */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
