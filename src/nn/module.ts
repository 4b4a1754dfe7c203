// Module tree with named parameters and buffers, train/eval, state dicts.
// Parameters and buffers are long-lived: they are kept out of every scope() and freed by
// dispose(). Subclasses register them in the constructor and read them as fields.
import { LnasError } from '../errors.js';
import type { MemoryFormat } from '../tensor/dtype.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export class Module {
  training = true;
  private readonly _params = new Map<string, Tensor>();
  private readonly _buffers = new Map<string, Tensor>();
  private readonly _children = new Map<string, Module>();

  protected param(name: string, t: Tensor): Tensor {
    this._params.set(name, t.keep().requiresGrad_(true));
    return t;
  }

  protected buffer(name: string, t: Tensor): Tensor {
    this._buffers.set(name, t.keep());
    return t;
  }

  protected child<M extends Module>(name: string, m: M): M {
    this._children.set(name, m);
    return m;
  }

  /** Direct children, in registration order. */
  children(): [string, Module][] {
    return [...this._children];
  }

  *modules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, m] of this._children) yield* m.modules(prefix ? `${prefix}.${name}` : name);
  }

  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.modules(prefix)) {
      for (const [name, p] of m._params) out.push([path ? `${path}.${name}` : name, p]);
    }
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.modules(prefix)) {
      for (const [name, b] of m._buffers) out.push([path ? `${path}.${name}` : name, b]);
    }
    return out;
  }

  /** Parameters and buffers by dotted name (references, not copies). */
  stateDict(): Map<string, Tensor> {
    return new Map([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /** Copies values into this module's tensors; every mismatch is a typed error naming the tensor. */
  loadStateDict(state: ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    if (options.strict ?? true) {
      for (const key of state.keys()) {
        if (!own.has(key)) throw new LnasError('LNAS_STATE_MISMATCH', `state dict has an unexpected tensor '${key}'`, { path: key });
      }
    }
    noGrad(() => {
      for (const [key, dst] of own) {
        const src = state.get(key);
        if (src === undefined) {
          if (options.strict ?? true) throw new LnasError('LNAS_STATE_MISMATCH', `state dict is missing tensor '${key}'`, { path: key });
          continue;
        }
        if (src.shape.join(',') !== dst.shape.join(',')) {
          throw new LnasError('LNAS_STATE_MISMATCH',
            `tensor '${key}' has shape [${src.shape.join(', ')}] in the state dict but [${dst.shape.join(', ')}] in the model`, { path: key });
        }
        if (src.dtype !== dst.dtype) {
          throw new LnasError('LNAS_STATE_MISMATCH', `tensor '${key}' is ${src.dtype} in the state dict but ${dst.dtype} in the model`, { path: key });
        }
        dst.copy_(src);
      }
    });
  }

  train(mode = true): this {
    for (const [, m] of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Moves every 4-d parameter and buffer to the given memory format, in place. */
  toMemoryFormat(format: MemoryFormat): this {
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.namedBuffers().map(([, b]) => b)]) {
        if (t.rank === 4) scope(() => { t.setData(t.detach().contiguous(format)); });
      }
    });
    return this;
  }

  /** Moves every parameter and buffer to `device` ('cpu', 'cuda:0'), in place, keeping identities and layouts. */
  toDevice(device: string): this {
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.namedBuffers().map(([, b]) => b)]) {
        if (t.device !== device) scope(() => { t.setData(t.detach().toDevice(device)); });
      }
    });
    return this;
  }

  /** Converts every floating-point parameter and buffer to `dtype`, in place (for float64 checks). */
  toDtype(dtype: 'float32' | 'float64'): this {
    noGrad(() => {
      for (const t of [...this.parameters(), ...this.namedBuffers().map(([, b]) => b)]) {
        if (t.dtype !== 'float32' && t.dtype !== 'float64') continue;
        scope(() => { t.setData(t.detach().to(dtype)); });
      }
    });
    return this;
  }

  /** Frees every parameter and buffer of the tree. */
  dispose(): void {
    for (const [, m] of this.modules()) {
      for (const t of m._params.values()) t.dispose();
      for (const t of m._buffers.values()) t.dispose();
    }
  }

  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.numel, 0);
  }
}

/** A module with one input and one output. */
export abstract class Layer extends Module {
  abstract forward(x: Tensor): Tensor;
}
