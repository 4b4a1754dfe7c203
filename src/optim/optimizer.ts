// Optimizer base: parameter groups, per-parameter state tensors, state (de)serialisation.
// Updates run under noGrad in a scope, in place on the parameters (PyTorch semantics).
import { LnasError } from '../errors.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export interface ParamGroup<H> {
  params: Tensor[];
  hp: H;
}

/** The JSON part of an optimizer's state; `keys` lists its tensors (absent in older checkpoints). */
export interface OptimizerJson<H> { stepCount: number; groups: H[]; keys?: string[] }

export abstract class Optimizer<H extends { lr: number }> {
  readonly groups: ParamGroup<H>[];
  /** Per-parameter state (momentum buffers, moments), kept out of scopes. */
  protected readonly state = new Map<Tensor, Map<string, Tensor>>();
  stepCount = 0;

  constructor(groups: Tensor[] | { params: Tensor[]; hp?: Partial<H> }[], defaults: H) {
    const list = groups.length > 0 && !('params' in (groups[0] as object)) ? [{ params: groups as Tensor[] }] : (groups as { params: Tensor[]; hp?: Partial<H> }[]);
    this.groups = list.map((g) => ({ params: g.params, hp: { ...defaults, ...(g.hp ?? {}) } }));
  }

  /** Sets the learning rate of every group (schedules call this). */
  setLr(lr: number): void {
    for (const g of this.groups) g.hp.lr = lr;
  }

  get lr(): number {
    return this.groups[0]?.hp.lr ?? 0;
  }

  protected stateOf(p: Tensor): Map<string, Tensor> {
    let s = this.state.get(p);
    if (!s) { s = new Map(); this.state.set(p, s); }
    return s;
  }

  protected abstract update(p: Tensor, grad: Tensor, hp: H, state: Map<string, Tensor>): void;

  step(): void {
    this.stepCount++;
    noGrad(() => {
      for (const g of this.groups) {
        for (const p of g.params) {
          scope(() => {
            const grad = p.grad;
            if (grad !== null) this.update(p, grad, g.hp, this.stateOf(p));
          });
        }
      }
    });
  }

  /** Drops every gradient (like PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const g of this.groups) for (const p of g.params) p.grad = null;
  }

  parameters(): Tensor[] {
    return this.groups.flatMap((g) => g.params);
  }

  /**
   * State tensors keyed `<param index>.<name>` and a JSON part: step count, hyperparameters, and
   * the keys of the tensors, so that loading can tell a tensor missing from a file.
   */
  stateDict(): { tensors: Map<string, Tensor>; json: OptimizerJson<H> } {
    const tensors = new Map<string, Tensor>();
    this.parameters().forEach((p, i) => {
      for (const [k, t] of this.state.get(p) ?? []) tensors.set(`${i}.${k}`, t);
    });
    return { tensors, json: { stepCount: this.stepCount, groups: this.groups.map((g) => ({ ...g.hp })), keys: [...tensors.keys()] } };
  }

  /**
   * Restores a stateDict(). Everything is checked before anything changes: the JSON part, that
   * every tensor it lists is there (`label` prefixes the names in messages, e.g.
   * `optim.weights.`), and that each tensor belongs to a parameter and has its shape (or is a
   * scalar, like Adam's step). JSON without `keys` (older checkpoints) skips the listing check.
   */
  loadStateDict(s: { tensors: ReadonlyMap<string, Tensor>; json: OptimizerJson<H> }, label = ''): void {
    const json = s.json as unknown;
    const bad = (message: string, path?: string) => new LnasError('LNAS_STATE_MISMATCH', `optimizer state${label ? ` ${label.replace(/\.$/, '')}` : ''}: ${message}`, path === undefined ? {} : { path });
    if (json === null || typeof json !== 'object') throw bad('the JSON part is not an object');
    const { stepCount, groups, keys } = json as { stepCount?: unknown; groups?: unknown; keys?: unknown };
    if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) throw bad(`stepCount ${JSON.stringify(stepCount)} is not a step count`);
    if (!Array.isArray(groups)) throw bad('groups is not a list');
    if (groups.length !== this.groups.length) throw bad(`it has ${groups.length} parameter groups, this optimizer ${this.groups.length}`);
    groups.forEach((hp: unknown, i) => {
      const own = (this.groups[i] as ParamGroup<H>).hp as Record<string, unknown>;
      if (hp === null || typeof hp !== 'object') throw bad(`group ${i} is not an object`);
      for (const [k, v] of Object.entries(own)) {
        const saved = (hp as Record<string, unknown>)[k];
        if (typeof saved !== typeof v || (typeof saved === 'number' && !Number.isFinite(saved))) {
          throw bad(`group ${i} has ${k} = ${JSON.stringify(saved)}, expected a ${typeof v}`, `groups[${i}].${k}`);
        }
      }
    });
    if (keys !== undefined) {
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw bad('keys is not a list of tensor names');
      for (const k of keys as string[]) if (!s.tensors.has(k)) throw bad(`it lacks tensor '${label}${k}'`, `${label}${k}`);
    }
    const params = this.parameters();
    const entries: [Tensor, string, Tensor][] = [];
    for (const [key, t] of s.tensors) {
      const m = /^(\d+)\.(.+)$/.exec(key);
      const p = m ? params[Number(m[1])] : undefined;
      if (!m || p === undefined) throw bad(`tensor '${label}${key}' names parameter ${m ? m[1] : '?'}, which does not exist`, `${label}${key}`);
      if (t.shape.length !== 0 && t.shape.join(',') !== p.shape.join(',')) {
        throw bad(`tensor '${label}${key}' has shape [${t.shape.join(', ')}], its parameter [${p.shape.join(', ')}]`, `${label}${key}`);
      }
      entries.push([p, m[2] as string, t]);
    }
    this.stepCount = stepCount as number;
    groups.forEach((hp, i) => { (this.groups[i] as ParamGroup<H>).hp = { ...(hp as H) }; });
    this.disposeState();
    for (const [p, name, t] of entries) this.stateOf(p).set(name, noGrad(() => t.clone()).keep());
  }

  disposeState(): void {
    for (const s of this.state.values()) for (const t of s.values()) t.dispose();
    this.state.clear();
  }
}

/** A state tensor initialised from `init` on first use. */
export function lazyState(state: Map<string, Tensor>, key: string, init: () => Tensor): [Tensor, boolean] {
  const existing = state.get(key);
  if (existing) return [existing, false];
  const t = init().keep();
  state.set(key, t);
  return [t, true];
}
