// Tensor factories. Random factories draw from libtorch's generator, seeded by manualSeed().
import { LnasError } from '../errors.js';
import { type AnyTypedArray, type DType, DTYPES, bytesPer } from './dtype.js';
import { defaultDevice } from './device.js';
import { native } from './native.js';
import { Tensor, asTensorError, callT } from './tensor.js';

export interface FactoryOptions {
  dtype?: DType;
  device?: string;
  requiresGrad?: boolean;
}

// Tensors go to the process's device (defaultDevice()) unless a factory is given one.
const dev = (o: FactoryOptions): string | null => {
  const d = o.device ?? defaultDevice();
  return d === 'cpu' ? null : d;
};
const factoryArgs = (o: FactoryOptions) => [DTYPES[o.dtype ?? 'float32'], null, dev(o), null] as const;

function finish(t: Tensor, o: FactoryOptions): Tensor {
  return o.requiresGrad ? t.requiresGrad_(true) : t;
}

export function zeros(shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::zeros', [shape, ...factoryArgs(o)]), o);
}
export function ones(shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::ones', [shape, ...factoryArgs(o)]), o);
}
export function full(shape: readonly number[], value: number, o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::full', [shape, value, ...factoryArgs(o)]), o);
}
export function empty(shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::empty.memory_format', [shape, ...factoryArgs(o), null]), o);
}
export function randn(shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::randn', [shape, ...factoryArgs(o)]), o);
}
export function rand(shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return finish(callT('aten::rand', [shape, ...factoryArgs(o)]), o);
}
/** Integers uniform in [low, high). */
export function randint(low: number, high: number, shape: readonly number[], o: FactoryOptions = {}): Tensor {
  return callT('aten::randint.low', [low, high, shape, DTYPES[o.dtype ?? 'int64'], null, dev(o), null]);
}
export function randperm(n: number, o: FactoryOptions = {}): Tensor {
  return callT('aten::randperm', [n, DTYPES[o.dtype ?? 'int64'], null, dev(o), null]);
}
export function arange(start: number, end?: number, step = 1, o: FactoryOptions = {}): Tensor {
  if (end === undefined) { end = start; start = 0; }
  return callT('aten::arange.start_step', [start, end, step, DTYPES[o.dtype ?? 'int64'], null, dev(o), null]);
}
export function zerosLike(t: Tensor): Tensor { return callT('aten::zeros_like', [t, null, null, null, null, null]); }
export function onesLike(t: Tensor): Tensor { return callT('aten::ones_like', [t, null, null, null, null, null]); }
export function randnLike(t: Tensor): Tensor { return callT('aten::randn_like', [t, null, null, null, null, null]); }

const ARRAY_DTYPE = new Map<unknown, DType>([
  [Float32Array, 'float32'], [Float64Array, 'float64'], [BigInt64Array, 'int64'], [Int32Array, 'int32'], [Uint8Array, 'uint8'],
]);

/**
 * A tensor holding a copy of `data`. Typed arrays keep their element type; plain number arrays
 * become float32 unless `dtype` says otherwise.
 */
export function tensor(data: AnyTypedArray | readonly number[] | readonly boolean[], shape?: readonly number[], o: FactoryOptions = {}): Tensor {
  const dims = shape ?? [data.length];
  const numel = dims.reduce((a, b) => a * b, 1);
  if (numel !== data.length) {
    throw new LnasError('LNAS_SHAPE', `tensor(): ${data.length} values do not fill shape [${dims.join(', ')}] (${numel} elements)`);
  }
  let dtype: DType;
  let buf: AnyTypedArray;
  if (ArrayBuffer.isView(data)) {
    dtype = (o.dtype === 'bool' ? 'bool' : ARRAY_DTYPE.get(data.constructor)) ?? 'float32';
    buf = data;
  } else {
    dtype = o.dtype ?? (typeof data[0] === 'boolean' ? 'bool' : 'float32');
    const nums = (data as readonly (number | boolean)[]).map(Number);
    buf = dtype === 'float64' ? Float64Array.from(nums)
      : dtype === 'int64' ? BigInt64Array.from(nums, (v) => BigInt(Math.trunc(v)))
      : dtype === 'int32' ? Int32Array.from(nums)
      : dtype === 'uint8' || dtype === 'bool' ? Uint8Array.from(nums)
      : Float32Array.from(nums);
  }
  if (buf.byteLength !== numel * bytesPer(dtype)) {
    throw new LnasError('LNAS_SHAPE', `tensor(): ${buf.byteLength} bytes for ${numel} ${dtype} elements`);
  }
  let t: Tensor;
  try {
    const d = dev(o);
    t = new Tensor(d === null ? native.fromBuffer(buf, dims, DTYPES[dtype]) : native.fromBuffer(buf, dims, DTYPES[dtype], d));
  } catch (e) {
    throw asTensorError(e);
  }
  if (o.dtype !== undefined && o.dtype !== dtype) {
    const converted = t.to(o.dtype);
    t.dispose();
    t = converted;
  }
  return finish(t, o);
}

export function scalar(value: number, o: FactoryOptions = {}): Tensor {
  return full([], value, o);
}
