// Loads the compiled libtorch binding. Everything above this file talks to libtorch only
// through `native`.
import { existsSync } from 'node:fs';
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

/** Spin iterations of an OpenMP thread before it sleeps, on an idle machine (GOMP_SPINCOUNT). */
export const IDLE_SPINCOUNT = '10000';

/**
 * The OpenMP wait policy lnas sets when the user set none (neither OMP_WAIT_POLICY nor
 * GOMP_SPINCOUNT). Threads that spin between parallel regions are fastest on an idle machine
 * and collapse when another process wants the cores; sleeping threads never collapse but are slow
 * alone. So: a bounded spin when the machine is idle, PASSIVE when it is already busy (1-minute
 * load average at least half the cores, at least 1: one other CPU-bound process).
 */
export function chooseOmpPolicy(env: NodeJS.ProcessEnv, load1: number, cores: number): Record<string, string> {
  if (env.OMP_WAIT_POLICY !== undefined || env.GOMP_SPINCOUNT !== undefined) return {};
  return load1 >= Math.max(1, cores / 2) ? { OMP_WAIT_POLICY: 'PASSIVE' } : { GOMP_SPINCOUNT: IDLE_SPINCOUNT };
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
  Object.assign(lnasEnv, chooseOmpPolicy(process.env, loadavg()[0] ?? 0, availableParallelism()));
  Object.assign(process.env, lnasEnv);
  try {
    return createRequire(import.meta.url)(path) as Native;
  } catch (e) {
    throw new LnasError('LNAS_NATIVE_LOAD', `lnas: could not load the native engine ${path}: ${(e as Error).message}. ` +
      'If libtorch moved or was upgraded, rebuild with `npm run build`.', { cause: e });
  }
}

export const native: Native = load();
