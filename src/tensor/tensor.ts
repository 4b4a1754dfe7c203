// The Tensor facade over a libtorch handle, and the one function (call) through which every
// operator reaches libtorch's dispatcher.
import { LnasError } from '../errors.js';
import { type AnyTypedArray, type DType, DTYPES, MEMORY_FORMAT, type MemoryFormat, dtypeFromCode, viewAs } from './dtype.js';
import { type Handle, type NativeResult, native } from './native.js';
import { track } from './scope.js';

/** Error from libtorch or from misuse of a tensor; `code` is stable (LNAS_TORCH, LNAS_DISPOSED, ...). */
export class TensorError extends LnasError {}

export type Scalar = number | boolean;
export type OpArg = Tensor | number | boolean | string | null | undefined | readonly (Tensor | number | boolean | null)[];

const opIds = new Map<string, number>();

function opId(qualified: string): number {
  let id = opIds.get(qualified);
  if (id === undefined) {
    const dot = qualified.indexOf('.');
    const name = dot < 0 ? qualified : qualified.slice(0, dot);
    const overload = dot < 0 ? '' : qualified.slice(dot + 1);
    try {
      id = native.findOp(name, overload);
    } catch (e) {
      throw asTensorError(e);
    }
    opIds.set(qualified, id);
  }
  return id;
}

function toNativeArg(a: OpArg): unknown {
  if (a instanceof Tensor) return a.handle;
  if (Array.isArray(a)) return a.map((e) => (e instanceof Tensor ? e.handle : e));
  return a;
}

function fromNative(r: NativeResult): unknown {
  if (r === null || typeof r !== 'object') return r;
  if (Array.isArray(r)) return r.map(fromNative);
  return new Tensor(r);
}

export function asTensorError(e: unknown): Error {
  if (e instanceof LnasError) return e;
  const err = e as { code?: unknown; message?: string };
  const code = typeof err.code === 'string' ? err.code : 'LNAS_TORCH';
  return new TensorError(code, err.message ?? String(e), { cause: e });
}

/**
 * Calls a libtorch operator by its schema name, e.g. call('aten::add.Tensor', [a, b]).
 * Arguments are positional in schema order; `undefined` takes the schema default.
 */
export function call(qualified: string, args: OpArg[]): unknown {
  const id = opId(qualified);
  const nativeArgs = args.map(toNativeArg) as Parameters<typeof native.callOp>[1];
  let r: NativeResult;
  try {
    r = native.callOp(id, nativeArgs);
  } catch (e) {
    throw asTensorError(e);
  }
  return fromNative(r);
}

/** call() for operators returning one tensor. */
export function callT(qualified: string, args: OpArg[]): Tensor {
  return call(qualified, args) as Tensor;
}

/** call() for in-place operators: the result handle is not materialised. */
export function callInPlace(qualified: string, args: OpArg[]): void {
  const id = opId(qualified);
  try {
    native.callOp(id, args.map(toNativeArg) as Parameters<typeof native.callOp>[1], true);
  } catch (e) {
    throw asTensorError(e);
  }
}

const binary = (name: string) => (a: Tensor, b: Tensor | Scalar): Tensor =>
  callT(b instanceof Tensor ? `aten::${name}.Tensor` : `aten::${name}.Scalar`, [a, b]);

export class Tensor {
  private h: Handle | null;
  private cachedShape: readonly number[] | undefined;
  kept = false;

  constructor(handle: Handle) {
    this.h = handle;
    track(this);
  }

  get handle(): Handle {
    if (this.h === null) throw new TensorError('LNAS_DISPOSED', 'tensor was used after dispose()');
    return this.h;
  }

  get shape(): readonly number[] {
    return (this.cachedShape ??= Object.freeze(native.shape(this.handle)));
  }
  get rank(): number { return this.shape.length; }
  get numel(): number { return this.shape.reduce((a, b) => a * b, 1); }
  get dtype(): DType { return dtypeFromCode(native.dtype(this.handle)); }
  get device(): string { return native.device(this.handle); }
  get strides(): number[] { return native.strides(this.handle); }
  get isDisposed(): boolean { return this.h === null; }

  /** Frees the libtorch handle now. Idempotent. */
  dispose(): void {
    if (this.h !== null) { native.dispose(this.h); this.h = null; }
  }

  /** Excludes this tensor from every enclosing scope(); the caller disposes it. */
  keep(): this { this.kept = true; return this; }

  // -- autograd ------------------------------------------------------------------------------
  get requiresGrad(): boolean { return native.requiresGrad(this.handle); }
  set requiresGrad(v: boolean) { this.requiresGrad_(v); }
  requiresGrad_(v = true): this {
    try { native.setRequiresGrad(this.handle, v); } catch (e) { throw asTensorError(e); }
    return this;
  }
  /** A new handle to the accumulated gradient (disposed by the enclosing scope), or null. */
  get grad(): Tensor | null {
    const g = native.grad(this.handle);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) { native.setGrad(this.handle, g === null ? null : g.handle); }
  get isLeaf(): boolean { return native.isLeaf(this.handle); }
  backward(grad?: Tensor, options: { retainGraph?: boolean } = {}): void {
    try {
      native.backward([this.handle], grad === undefined ? null : [grad.handle], options.retainGraph ?? false);
    } catch (e) { throw asTensorError(e); }
  }
  detach(): Tensor { return callT('aten::detach', [this]); }
  /** Replaces this tensor's data and layout with src's, keeping its identity (PyTorch's `t.data = src`). */
  setData(src: Tensor): this {
    try { native.setData(this.handle, src.handle); } catch (e) { throw asTensorError(e); }
    this.cachedShape = undefined;
    return this;
  }

  // -- data ----------------------------------------------------------------------------------
  /** A copy of the data as a typed array (row-major, contiguous). */
  toArray(): AnyTypedArray { return viewAs(this.dtype, native.toBuffer(this.handle)); }
  /** The data as plain numbers. */
  toNumbers(): number[] { return Array.from(this.toArray(), Number); }
  item(): number {
    if (this.numel !== 1) throw new TensorError('LNAS_SHAPE', `item() needs a single-element tensor, got shape [${this.shape.join(',')}]`);
    return Number(this.toArray()[0]);
  }
  to(dtype: DType): Tensor { return callT('aten::to.dtype', [this, DTYPES[dtype], false, false, null]); }
  /** A copy on another device ('cpu', 'cuda', 'cuda:1'); needs a libtorch built with that device. */
  toDevice(device: string): Tensor { return callT('aten::to.device', [this, device, native.dtype(this.handle), false, false, null]); }
  clone(): Tensor { return callT('aten::clone', [this, null]); }
  contiguous(format: MemoryFormat = 'contiguous'): Tensor {
    return callT('aten::contiguous', [this, MEMORY_FORMAT[format]]);
  }
  /** Whether the strides are dense in the given memory format (is_contiguous is not a dispatcher op). */
  isContiguous(format: MemoryFormat = 'contiguous'): boolean {
    const shape = this.shape;
    const strides = this.strides;
    const order = format === 'channelsLast' && shape.length === 4 ? [1, 3, 2, 0] : shape.map((_, i) => shape.length - 1 - i);
    let expected = 1;
    for (const d of order) {
      const size = shape[d] as number;
      if (size !== 1 && strides[d] !== expected) return false;
      expected *= size;
    }
    return true;
  }

  // -- elementwise ---------------------------------------------------------------------------
  add(o: Tensor | Scalar, alpha = 1): Tensor {
    return callT(o instanceof Tensor ? 'aten::add.Tensor' : 'aten::add.Scalar', [this, o, alpha]);
  }
  sub(o: Tensor | Scalar, alpha = 1): Tensor {
    return callT(o instanceof Tensor ? 'aten::sub.Tensor' : 'aten::sub.Scalar', [this, o, alpha]);
  }
  mul(o: Tensor | Scalar): Tensor { return binary('mul')(this, o); }
  div(o: Tensor | Scalar): Tensor { return binary('div')(this, o); }
  pow(e: Tensor | Scalar): Tensor { return callT(e instanceof Tensor ? 'aten::pow.Tensor_Tensor' : 'aten::pow.Tensor_Scalar', [this, e]); }
  neg(): Tensor { return callT('aten::neg', [this]); }
  abs(): Tensor { return callT('aten::abs', [this]); }
  sqrt(): Tensor { return callT('aten::sqrt', [this]); }
  exp(): Tensor { return callT('aten::exp', [this]); }
  log(): Tensor { return callT('aten::log', [this]); }
  sign(): Tensor { return callT('aten::sign', [this]); }
  clamp(min: number | null, max: number | null = null): Tensor { return callT('aten::clamp', [this, min, max]); }
  relu(): Tensor { return callT('aten::relu', [this]); }
  sigmoid(): Tensor { return callT('aten::sigmoid', [this]); }
  tanh(): Tensor { return callT('aten::tanh', [this]); }
  eq(o: Tensor | Scalar): Tensor { return binary('eq')(this, o); }
  ne(o: Tensor | Scalar): Tensor { return binary('ne')(this, o); }
  lt(o: Tensor | Scalar): Tensor { return binary('lt')(this, o); }
  le(o: Tensor | Scalar): Tensor { return binary('le')(this, o); }
  gt(o: Tensor | Scalar): Tensor { return binary('gt')(this, o); }
  ge(o: Tensor | Scalar): Tensor { return binary('ge')(this, o); }
  logicalNot(): Tensor { return callT('aten::logical_not', [this]); }
  maskedFill(mask: Tensor, value: number): Tensor { return callT('aten::masked_fill.Scalar', [this, mask, value]); }

  // -- in place (optimizers, masks) -----------------------------------------------------------
  add_(o: Tensor | Scalar, alpha = 1): this {
    callInPlace(o instanceof Tensor ? 'aten::add_.Tensor' : 'aten::add_.Scalar', [this, o, alpha]);
    return this;
  }
  sub_(o: Tensor | Scalar, alpha = 1): this {
    callInPlace(o instanceof Tensor ? 'aten::sub_.Tensor' : 'aten::sub_.Scalar', [this, o, alpha]);
    return this;
  }
  mul_(o: Tensor | Scalar): this { callInPlace(o instanceof Tensor ? 'aten::mul_.Tensor' : 'aten::mul_.Scalar', [this, o]); return this; }
  div_(o: Tensor | Scalar): this { callInPlace(o instanceof Tensor ? 'aten::div_.Tensor' : 'aten::div_.Scalar', [this, o]); return this; }
  addcmul_(a: Tensor, b: Tensor, value = 1): this { callInPlace('aten::addcmul_', [this, a, b, value]); return this; }
  addcdiv_(a: Tensor, b: Tensor, value = 1): this { callInPlace('aten::addcdiv_', [this, a, b, value]); return this; }
  copy_(src: Tensor): this { callInPlace('aten::copy_', [this, src, false]); return this; }
  zero_(): this { callInPlace('aten::zero_', [this]); return this; }
  fill_(v: number): this { callInPlace('aten::fill_.Scalar', [this, v]); return this; }
  clamp_(min: number | null, max: number | null = null): this { callInPlace('aten::clamp_', [this, min, max]); return this; }
  sqrt_(): this { callInPlace('aten::sqrt_', [this]); return this; }
  lerp_(end: Tensor, weight: number): this { callInPlace('aten::lerp_.Scalar', [this, end, weight]); return this; }

  // -- reductions ----------------------------------------------------------------------------
  sum(dims?: number | readonly number[], keepDim = false): Tensor {
    return dims === undefined ? callT('aten::sum', [this, null]) : callT('aten::sum.dim_IntList', [this, asDims(dims), keepDim, null]);
  }
  mean(dims?: number | readonly number[], keepDim = false): Tensor {
    return dims === undefined ? callT('aten::mean', [this, null]) : callT('aten::mean.dim', [this, asDims(dims), keepDim, null]);
  }
  /** Maximum over a dim: [values, indices]. Without a dim, the overall maximum. */
  max(): Tensor;
  max(dim: number, keepDim?: boolean): [Tensor, Tensor];
  max(dim?: number, keepDim = false): Tensor | [Tensor, Tensor] {
    return dim === undefined ? callT('aten::max', [this]) : (call('aten::max.dim', [this, dim, keepDim]) as [Tensor, Tensor]);
  }
  min(): Tensor { return callT('aten::min', [this]); }
  amax(dims: number | readonly number[], keepDim = false): Tensor { return callT('aten::amax', [this, asDims(dims), keepDim]); }
  argmax(dim?: number, keepDim = false): Tensor { return callT('aten::argmax', [this, dim ?? null, keepDim]); }
  /** p-norm over all elements (default 2) or over dims. */
  norm(p = 2, dims?: number | readonly number[], keepDim = false): Tensor {
    return dims === undefined ? callT('aten::norm.Scalar', [this, p]) : callT('aten::norm.ScalarOpt_dim', [this, p, asDims(dims), keepDim]);
  }
  topk(k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] {
    return call('aten::topk', [this, k, dim, largest, sorted]) as [Tensor, Tensor];
  }
  /** Stable sort (ties keep their order, so results are deterministic). */
  sort(dim = -1, descending = false): [Tensor, Tensor] {
    return call('aten::sort.stable', [this, true, dim, descending]) as [Tensor, Tensor];
  }
  softmax(dim: number): Tensor { return callT('aten::softmax.int', [this, dim, null]); }
  logSoftmax(dim: number): Tensor { return callT('aten::log_softmax.int', [this, dim, null]); }

  // -- shape ---------------------------------------------------------------------------------
  reshape(shape: readonly number[]): Tensor { return callT('aten::reshape', [this, shape]); }
  view(shape: readonly number[]): Tensor { return callT('aten::view', [this, shape]); }
  flatten(start = 0, end = -1): Tensor { return callT('aten::flatten.using_ints', [this, start, end]); }
  permute(dims: readonly number[]): Tensor { return callT('aten::permute', [this, dims]); }
  transpose(a: number, b: number): Tensor { return callT('aten::transpose.int', [this, a, b]); }
  squeeze(dim: number): Tensor { return callT('aten::squeeze.dim', [this, dim]); }
  unsqueeze(dim: number): Tensor { return callT('aten::unsqueeze', [this, dim]); }
  expand(shape: readonly number[]): Tensor { return callT('aten::expand', [this, shape, false]); }
  narrow(dim: number, start: number, length: number): Tensor { return callT('aten::narrow', [this, dim, start, length]); }
  slice(dim: number, start: number, end: number, step = 1): Tensor { return callT('aten::slice.Tensor', [this, dim, start, end, step]); }
  indexSelect(dim: number, index: Tensor): Tensor { return callT('aten::index_select', [this, dim, index]); }
  gather(dim: number, index: Tensor): Tensor { return callT('aten::gather', [this, dim, index, false]); }
  chunk(chunks: number, dim = 0): Tensor[] { return call('aten::chunk', [this, chunks, dim]) as Tensor[]; }
  split(sizes: readonly number[], dim = 0): Tensor[] { return call('aten::split_with_sizes', [this, sizes, dim]) as Tensor[]; }

  toString(): string {
    return this.h === null ? 'Tensor(disposed)' : `Tensor([${this.shape.join(', ')}], ${this.dtype})`;
  }
}

function asDims(d: number | readonly number[]): readonly number[] {
  return typeof d === 'number' ? [d] : d;
}
