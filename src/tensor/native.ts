// Loads the compiled libtorch binding. Everything above this file talks to libtorch only
// through `native`.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LnasError } from '../errors.js';

/** Opaque handle to a libtorch tensor (a napi External). */
export type Handle = object & { readonly __handle: unique symbol };
type Arg = Handle | number | boolean | string | null | undefined | readonly (Handle | number | boolean | null)[];
export type NativeResult = Handle | number | boolean | null | NativeResult[];

export interface Native {
  findOp(name: string, overload: string): number;
  callOp(id: number, args: Arg[], discard?: boolean): NativeResult;
  fromBuffer(data: ArrayBufferView, shape: readonly number[], dtype: number, device?: string): Handle;
  toBuffer(h: Handle): ArrayBuffer;
  shape(h: Handle): number[];
  strides(h: Handle): number[];
  dtype(h: Handle): number;
  device(h: Handle): string;
  dispose(h: Handle): void;
  isDisposed(h: Handle): boolean;
  live(): { tensors: number; bytes: number };
  mallocStats(): { arena: number; mmapped: number; inUse: number; free: number };
  sameStorage(a: Handle, b: Handle): boolean;
  requiresGrad(h: Handle): boolean;
  setRequiresGrad(h: Handle, value: boolean): void;
  grad(h: Handle): Handle | null;
  setGrad(h: Handle, g: Handle | null): void;
  isLeaf(h: Handle): boolean;
  setData(h: Handle, src: Handle): void;
  backward(outputs: Handle[], grads: (Handle | null)[] | null, retainGraph: boolean): void;
  autogradGrad(outputs: Handle[], inputs: Handle[], gradOutputs: (Handle | null)[] | null, retainGraph: boolean,
    createGraph: boolean, allowUnused: boolean): (Handle | null)[];
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  manualSeed(seed: number): void;
  getRngState(): Handle;
  setRngState(state: Handle): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  info(): NativeInfo;
  cudaDeviceCount(): number;
  setAlgorithms(benchmark: boolean, deterministic: boolean, tf32: boolean): void;
  synchronize(device: string): void;
  deviceMemory(index: number): { live: number; allocated: number | null; reserved: number | null; peakAllocated: number | null };
  /** SIGINT/SIGTERM set a flag (polled by stopSignal) instead of ending the process; a second one exits. */
  installStopSignals(): void;
  stopSignal(): number;
}

export interface NativeInfo {
  cuda: boolean; cudaBuild: boolean; cudaDevices: number; torchVersion: string; mkldnn: boolean; parallel: string; config: string;
}

/** Environment variables lnas set for itself before loading libtorch (none of them the user's). */
export const lnasEnv: Record<string, string> = {};

/**
 * The OpenMP wait policy lnas sets when the user set none (neither OMP_WAIT_POLICY nor
 * GOMP_SPINCOUNT). Measured on 2 cores, supernet C=8, 5 cells, batch 32, 2 threads (search / eval
 * img/s, `scripts/bench/omp-policy.sh`): idle, libgomp's default spin 29.0 / 306 and PASSIVE
 * 15.7 / 143; beside one CPU-bound process, PASSIVE 10.7 / 171, libgomp's default 8.5 / 103 and a
 * short spin (GOMP_SPINCOUNT=10000) 5.3 / 56. So: libgomp's own default (nothing set, as PyTorch
 * users run it) when the other processes leave the cores free, PASSIVE when they keep at least
 * half a core busy. `busyCores` is what other processes use now (sampled), not the load average,
 * which lags by a minute and counts lnas's own previous run.
 */
export function chooseOmpPolicy(env: NodeJS.ProcessEnv, busyCores: number): Record<string, string> {
  if (env.OMP_WAIT_POLICY !== undefined || env.GOMP_SPINCOUNT !== undefined) return {};
  return busyCores >= 0.5 ? { OMP_WAIT_POLICY: 'PASSIVE' } : {};
}

/** CPU cores other processes keep busy, from /proc/stat over `ms` milliseconds minus this process' own use; null where /proc/stat is not readable. */
export function sampleBusyCores(ms = 100): number | null {
  const read = (): number[] | null => {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] as string;
      const f = line.trim().split(/\s+/).slice(1).map(Number);
      return f.length >= 7 && f.every(Number.isFinite) ? f : null;
    } catch { return null; }
  };
  const a = read();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const b = read();
  if (!a || !b) return null;
  const seconds = (performance.now() - t0) / 1000;
  // user, nice, system, (idle), (iowait), irq, softirq, steal: jiffies of USER_HZ = 100 on Linux.
  const busy = (x: number[]) => [0, 1, 2, 5, 6, 7].reduce((t, i) => t + (x[i] ?? 0), 0);
  const own = process.cpuUsage(own0);
  const others = (busy(b) - busy(a)) / 100 - (own.user + own.system) / 1e6;
  return Math.max(0, others / seconds);
}

/** The OpenMP settings this process runs under, and whether lnas or the user chose them. */
export function ompEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'OMP_NUM_THREADS']) {
    const v = process.env[k];
    if (v !== undefined) out[k] = k in lnasEnv ? `${v} (lnas default)` : v;
  }
  return out;
}

function load(): Native {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const candidates = [join(root, 'build', 'Release', 'lnas_native.node'), join(root, 'build', 'Debug', 'lnas_native.node')];
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    throw new LnasError('LNAS_NATIVE_MISSING',
      `lnas: the native engine is not built (looked for ${candidates[0]}). Run \`npm install\` (or \`npm run build\`) ` +
      'in the lnas folder; it needs libtorch: `apt-get install -y libtorch-dev libopenblas0-pthread` or LIBTORCH=/path/to/libtorch.');
  }
  // libgomp reads its wait policy once, when libtorch is loaded: it is chosen here, before the addon loads.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    const busy = sampleBusyCores() ?? Math.max(0, (loadavg()[0] ?? 0) - 1);
    Object.assign(lnasEnv, chooseOmpPolicy(process.env, busy));
  }
  Object.assign(process.env, lnasEnv);
  try {
    return createRequire(import.meta.url)(path) as Native;
  } catch (e) {
    throw new LnasError('LNAS_NATIVE_LOAD', `lnas: could not load the native engine ${path}: ${(e as Error).message}. ` +
      'If libtorch moved or was upgraded, rebuild with `npm run build`.', { cause: e });
  }
}

export const native: Native = load();
