// Process-wide engine state: gradient mode, RNG, threads, live tensors.
import { Rng } from '../util/rng.js';
import { defaultDevice, deviceMemory } from './device.js';
import { type NativeInfo, native } from './native.js';
import { Tensor, asTensorError } from './tensor.js';

/** Runs fn with gradient recording off. */
export function noGrad<T>(fn: () => T): T {
  const prev = native.setGradEnabled(false);
  try {
    return fn();
  } finally {
    native.setGradEnabled(prev);
  }
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

/** The process-wide TypeScript random source; reseeded by manualSeed(). */
export let globalRng = new Rng(0);

/** Seeds libtorch's generator and the TypeScript-side global Rng. */
export function manualSeed(seed: number): void {
  native.manualSeed(seed);
  globalRng = new Rng(seed);
}

/** libtorch's CPU generator state as a uint8 tensor (for checkpoints). */
export function getTorchRngState(): Tensor {
  return new Tensor(native.getRngState());
}

export function setTorchRngState(state: Tensor): void {
  try { native.setRngState(state.handle); } catch (e) { throw asTensorError(e); }
}

export function setNumThreads(n: number): void {
  native.setNumThreads(Math.max(1, Math.floor(n)));
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** Number of live tensor handles and the bytes they hold. */
export function liveTensors(): { tensors: number; bytes: number } {
  return native.live();
}

/**
 * The C heap as glibc sees it: bytes in use by live allocations, and bytes held free in its arenas.
 * `inUse` growing step after step is a native leak even when liveTensors() is flat. When the
 * process's device is a GPU, `device` adds its memory (deviceMemory()).
 */
export function heapStats(): { arena: number; mmapped: number; inUse: number; free: number; device?: ReturnType<typeof deviceMemory> } {
  const device = defaultDevice();
  return device === 'cpu' ? native.mallocStats() : { ...native.mallocStats(), device: deviceMemory(device) };
}

export function engineInfo(): NativeInfo {
  return native.info();
}

/** Gradients of sum(outputs * gradOutputs) w.r.t. inputs, without touching `.grad`. */
export function grad(outputs: readonly Tensor[], inputs: readonly Tensor[], o: {
  gradOutputs?: readonly Tensor[];
  retainGraph?: boolean;
  createGraph?: boolean;
  allowUnused?: boolean;
} = {}): (Tensor | null)[] {
  try {
    const r = native.autogradGrad(outputs.map((t) => t.handle), inputs.map((t) => t.handle),
      o.gradOutputs ? o.gradOutputs.map((t) => t.handle) : null, o.retainGraph ?? false, o.createGraph ?? false,
      o.allowUnused ?? false);
    return r.map((h) => (h === null ? null : new Tensor(h)));
  } catch (e) {
    throw asTensorError(e);
  }
}
