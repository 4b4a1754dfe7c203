// Tensor element types and their libtorch ScalarType codes (c10/core/ScalarType.h).

export const DTYPES = {
  uint8: 0,
  int32: 3,
  int64: 4,
  float32: 6,
  float64: 7,
  bool: 11,
} as const;

export type DType = keyof typeof DTYPES;

const BY_CODE = new Map<number, DType>(Object.entries(DTYPES).map(([k, v]) => [v, k as DType]));

export function dtypeFromCode(code: number): DType {
  const d = BY_CODE.get(code);
  if (d === undefined) throw new Error(`unsupported libtorch dtype code ${code}`);
  return d;
}

export type TypedArrayFor<D extends DType> = D extends 'float32' ? Float32Array
  : D extends 'float64' ? Float64Array
  : D extends 'int64' ? BigInt64Array
  : D extends 'int32' ? Int32Array
  : Uint8Array;

export type AnyTypedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export function viewAs(dtype: DType, buffer: ArrayBuffer): AnyTypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'uint8':
    case 'bool': return new Uint8Array(buffer);
  }
}

export function bytesPer(dtype: DType): number {
  switch (dtype) {
    case 'float64': case 'int64': return 8;
    case 'float32': case 'int32': return 4;
    case 'uint8': case 'bool': return 1;
  }
}

/** c10::MemoryFormat codes. */
export const MEMORY_FORMAT = { contiguous: 0, preserve: 1, channelsLast: 2 } as const;
export type MemoryFormat = 'contiguous' | 'channelsLast';
