// A pruning mask: one 0/1 float32 tensor per prunable parameter, by parameter name. Its tensors
// are long-lived and keep their identity for the mask's whole life (assign() copies in place),
// so they can be handed to fit() as extraTensors and restored from a checkpoint.
import { DataError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { disposeAll, loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import { ones } from '../tensor/creation.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { type Tensor, callInPlace } from '../tensor/tensor.js';

/** Which parameters a mask covers. */
export type PrunablePredicate = (name: string, p: Tensor) => boolean;

/** Conv and linear weights (rank >= 2); BN affine parameters and biases (rank 1) stay dense. */
export const defaultPrunable: PrunablePredicate = (_name, p) => p.rank >= 2;

export const MASK_FORMAT = 'lnas-mask-1';

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Throws unless every element of t is exactly 0 or 1 (NaN and -1 included in the refusal). */
function checkBinary(name: string, t: Tensor, where: string): void {
  const good = scope(() => t.eq(0).sum().item() + t.eq(1).sum().item());
  if (good === t.numel) return;
  const values = t.toNumbers();
  const at = values.findIndex((v) => v !== 0 && v !== 1);
  throw new DataError('LNAS_MASK_VALUE',
    `${where}mask tensor '${name}' holds ${t.numel - good} value(s) that are neither 0 nor 1 (first: ${values[at]} at flat index ${at}); ` +
    'a mask may only hold 0 (pruned) and 1 (kept)', { path: name });
}

/** A mask bound to a model's parameter tensors, for enforcing it after every optimizer step. */
export interface BoundMask {
  /** Sets every pruned weight to exactly +0 (no -0, no NaN from inf*0). */
  apply(): void;
}

export class Mask {
  private constructor(private readonly masks: Map<string, Tensor>) {}

  /** A dense (all-ones) mask over the model's prunable parameters, in parameter order. */
  static ones(model: Module, prunable: PrunablePredicate = defaultPrunable): Mask {
    const masks = new Map<string, Tensor>();
    for (const [name, p] of model.namedParameters()) if (prunable(name, p)) masks.set(name, ones(p.shape, { device: p.device }).keep());
    return new Mask(masks);
  }

  /** A mask holding float32 copies of the given tensors; the caller keeps ownership of its inputs. */
  static fromTensors(tensors: Iterable<readonly [string, Tensor]>, where = ''): Mask {
    const masks = new Map<string, Tensor>();
    try {
      for (const [name, t] of tensors) {
        checkBinary(name, t, where);
        masks.set(name, noGrad(() => (t.dtype === 'float32' ? t.clone() : t.to('float32'))).keep());
      }
    } catch (e) {
      disposeAll(masks);
      throw e;
    }
    return new Mask(masks);
  }

  /**
   * Reads a mask written by save(). With a model, its names and shapes must match the model's
   * prunable parameters exactly. Every defect is a DataError naming the tensor.
   */
  static load(path: string, model?: Module, prunable: PrunablePredicate = defaultPrunable): Mask {
    const { tensors, metadata } = loadSafetensors(path);
    try {
      if (metadata.format !== MASK_FORMAT) {
        throw new DataError('LNAS_MASK_CORRUPT', `${path} is not an lnas mask file (format ${metadata.format ?? 'missing'}); pass a file written by Mask.save()`, { path });
      }
      const mask = Mask.fromTensors(tensors, `${path}: `);
      if (model) {
        try { mask.checkAgainst(model, prunable, `${path}: `); } catch (e) { mask.dispose(); throw e; }
      }
      return mask;
    } finally {
      disposeAll(tensors);
    }
  }

  /** Throws unless this mask covers exactly the model's prunable parameters, with equal shapes. */
  checkAgainst(model: Module, prunable: PrunablePredicate = defaultPrunable, where = ''): void {
    const params = new Map(model.namedParameters().filter(([n, p]) => prunable(n, p)));
    for (const [name, m] of this.masks) {
      const p = params.get(name);
      if (!p) throw new DataError('LNAS_MASK_MISMATCH', `${where}mask tensor '${name}' names no prunable parameter of the model; use a mask made for this architecture`, { path: name });
      if (!sameShape(p.shape, m.shape)) {
        throw new DataError('LNAS_MASK_MISMATCH', `${where}mask tensor '${name}' has shape ${shapeText(m.shape)} but the parameter has ${shapeText(p.shape)}; use a mask made for this architecture`, { path: name });
      }
    }
    for (const name of params.keys()) {
      if (!this.masks.has(name)) throw new DataError('LNAS_MASK_MISMATCH', `${where}mask has no tensor for parameter '${name}'; use a mask made for this architecture`, { path: name });
    }
  }

  names(): string[] { return [...this.masks.keys()]; }
  get(name: string): Tensor | undefined { return this.masks.get(name); }
  /** The mask tensors themselves (not copies): for fit()'s extraTensors. */
  tensors(): ReadonlyMap<string, Tensor> { return this.masks; }

  /** Kept and total weights of each tensor. */
  counts(): Map<string, { kept: number; total: number }> {
    const out = new Map<string, { kept: number; total: number }>();
    // ne(0).sum() is an int64 count: exact where a float32 sum of ones stops being exact (2^24).
    for (const [name, m] of this.masks) out.set(name, { kept: scope(() => m.ne(0).sum().item()), total: m.numel });
    return out;
  }

  kept(): number { return [...this.counts().values()].reduce((s, c) => s + c.kept, 0); }
  total(): number { return [...this.masks.values()].reduce((s, m) => s + m.numel, 0); }

  /** Fraction of masked-out weights over all covered tensors (0 when the mask covers nothing). */
  sparsity(): number {
    const total = this.total();
    return total === 0 ? 0 : 1 - this.kept() / total;
  }

  layerSparsity(): Map<string, number> {
    return new Map([...this.counts()].map(([n, c]) => [n, c.total === 0 ? 0 : 1 - c.kept / c.total]));
  }

  /** Resolves the parameters once; apply() then costs one masked_fill per tensor. */
  bind(model: Module): BoundMask {
    const params = new Map(model.namedParameters());
    const pairs = [...this.masks].map(([name, m]) => {
      const p = params.get(name);
      if (!p) throw new DataError('LNAS_MASK_MISMATCH', `mask tensor '${name}' names no parameter of the model; use a mask made for this architecture`, { path: name });
      if (!sameShape(p.shape, m.shape)) {
        throw new DataError('LNAS_MASK_MISMATCH', `mask tensor '${name}' has shape ${shapeText(m.shape)} but the parameter has ${shapeText(p.shape)}`, { path: name });
      }
      return [p, m] as const;
    });
    return {
      apply: () => noGrad(() => {
        for (const [p, m] of pairs) scope(() => callInPlace('aten::masked_fill_.Scalar', [p, m.eq(0), 0]));
      }),
    };
  }

  /** Zeroes the model's pruned weights in place. */
  apply(model: Module): void {
    this.bind(model).apply();
  }

  /** Copies another mask's values into this one's tensors (same names and shapes). */
  assign(other: Mask): void {
    for (const [name, m] of this.masks) {
      const src = other.masks.get(name);
      if (!src || !sameShape(src.shape, m.shape)) {
        throw new DataError('LNAS_MASK_MISMATCH', `cannot assign masks: tensor '${name}' is missing or has another shape in the source`, { path: name });
      }
    }
    if (other.masks.size !== this.masks.size) throw new DataError('LNAS_MASK_MISMATCH', 'cannot assign masks: the source covers other tensors');
    noGrad(() => { for (const [name, m] of this.masks) m.copy_(other.masks.get(name) as Tensor); });
  }

  clone(): Mask {
    return Mask.fromTensors(this.masks);
  }

  /** Writes the mask atomically as safetensors (float32 0/1 tensors). */
  save(path: string, metadata: Record<string, string> = {}): void {
    saveSafetensors(path, this.masks, { ...metadata, format: MASK_FORMAT });
  }

  dispose(): void {
    disposeAll(this.masks);
  }
}
