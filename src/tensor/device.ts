// The process-wide device: where factories put new tensors ('cpu', 'cuda:0', ...). Commands that
// train set it once from `--device` (or LNAS_DEVICE) through useDevice(); models, optimizer state
// and batches are then created on it. Only `.item()`/`toArray()` copy back to the host.
import { LnasError } from '../errors.js';
import { native } from './native.js';

let current = 'cpu';

/** Where new tensors go unless a factory is given a device. */
export function defaultDevice(): string { return current; }

/** Number of CUDA devices libtorch sees (0 on a CPU-only build). */
export function cudaDeviceCount(): number { return native.cudaDeviceCount(); }

const SPEC = /^(cpu|auto|cuda(:\d+)?)$/;

/** Whether text is a device spec: cpu, cuda, cuda:N or auto. */
export function isDeviceSpec(text: string): boolean { return SPEC.test(text); }

/**
 * The concrete device for a spec. `auto` is cuda:0 when a CUDA device is visible, else cpu.
 * `cuda`/`cuda:N` where there is no such device is LNAS_NO_CUDA / LNAS_DEVICE, saying what was found.
 */
export function resolveDevice(spec: string, source = spec === process.env.LNAS_DEVICE ? 'LNAS_DEVICE' : '--device'): string {
  if (!SPEC.test(spec)) {
    throw new LnasError('LNAS_DEVICE', `${source}: expected cpu, cuda, cuda:N or auto, got ${JSON.stringify(spec.slice(0, 40))}`);
  }
  if (spec === 'cpu') return 'cpu';
  const count = cudaDeviceCount();
  if (spec === 'auto') return count > 0 ? 'cuda:0' : 'cpu';
  const index = spec === 'cuda' ? 0 : Number(spec.slice(5));
  if (count === 0) {
    const info = native.info();
    const found = info.cudaBuild
      ? `lnas is built against a CUDA libtorch (${info.torchVersion}), but no CUDA device is visible` +
        ` (CUDA_VISIBLE_DEVICES=${process.env.CUDA_VISIBLE_DEVICES ?? 'unset'}; is the NVIDIA driver loaded?)`
      : `lnas is built against libtorch ${info.torchVersion} without CUDA (CPU only). Rebuild it against a CUDA libtorch: ` +
        '`LIBTORCH=/path/to/libtorch npm run build`, or `LNAS_LIBTORCH_FROM_PYTORCH=1 npm run build` next to a CUDA PyTorch';
    throw new LnasError('LNAS_NO_CUDA', `${source} ${spec}: ${found}. Use --device cpu (or auto).`);
  }
  if (index >= count) {
    throw new LnasError('LNAS_DEVICE', `${source} ${spec}: there ${count === 1 ? 'is 1 CUDA device' : `are ${count} CUDA devices`} (cuda:0${count > 1 ? `…cuda:${count - 1}` : ''})`);
  }
  return `cuda:${index}`;
}

export interface DeviceSettings {
  /**
   * Deterministic algorithms, no cuDNN autotuning, no TF32: bit-identical reruns where libtorch can
   * (an op without a deterministic CUDA kernel warns and runs).
   */
  deterministic?: boolean;
  /** TensorFloat-32 in cuDNN convolutions (libtorch's default on CUDA; off when deterministic). */
  tf32?: boolean;
}

/**
 * Makes `spec` the process's device and sets libtorch's algorithm flags: cuDNN benchmark mode on
 * CUDA unless deterministic. Returns the concrete device.
 */
export function useDevice(spec: string, o: DeviceSettings = {}): string {
  const device = resolveDevice(spec);
  const deterministic = o.deterministic ?? false;
  native.setAlgorithms(device.startsWith('cuda') && !deterministic, deterministic, (o.tf32 ?? true) && !deterministic);
  current = device;
  return device;
}

/** Runs fn with another default device, restoring the previous one after. */
export function withDevice<T>(device: string, fn: () => T): T {
  const prev = current;
  current = resolveDevice(device);
  try { return fn(); } finally { current = prev; }
}

/** Waits for the device's queued work (for timing); a no-op on the CPU. */
export function synchronize(device = current): void {
  if (device !== 'cpu') native.synchronize(device);
}

/**
 * Device memory in bytes: `live` is held by lnas's tensor handles on devices; `allocated`,
 * `reserved` and `peakAllocated` come from the CUDA caching allocator (null on CPU-only builds and
 * builds without CUDA's headers).
 */
export function deviceMemory(device = current): { live: number; allocated: number | null; reserved: number | null; peakAllocated: number | null } {
  const index = device.startsWith('cuda:') ? Number(device.slice(5)) : 0;
  return native.deviceMemory(index);
}
