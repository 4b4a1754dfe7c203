// Loads the compiled libtorch binding. Everything above this file talks to libtorch only
// through `native`.
import { existsSync } from 'node:fs';
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
}

export interface NativeInfo {
  cuda: boolean; cudaBuild: boolean; cudaDevices: number; torchVersion: string; mkldnn: boolean; parallel: string; config: string;
}

/** Environment variables lnas set for itself before loading libtorch (none of them the user's). */
export const lnasEnv: Record<string, string> = {};

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
  // OpenMP threads that spin-wait collapse throughput (measured 6x) as soon as another process
  // competes for the cores: sweep workers, a second job, CI. Sleeping waits avoid that. libgomp
  // reads this once, when libtorch is loaded, so it is set here, before the addon loads; a
  // user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.OMP_WAIT_POLICY = 'PASSIVE';
    lnasEnv.OMP_WAIT_POLICY = 'PASSIVE';
  }
  try {
    return createRequire(import.meta.url)(path) as Native;
  } catch (e) {
    throw new LnasError('LNAS_NATIVE_LOAD', `lnas: could not load the native engine ${path}: ${(e as Error).message}. ` +
      'If libtorch moved or was upgraded, rebuild with `npm run build`.', { cause: e });
  }
}

export const native: Native = load();
