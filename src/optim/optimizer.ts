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

  /** State tensors keyed `<param index>.<name>` and a JSON part (step count, hyperparameters). */
  stateDict(): { tensors: Map<string, Tensor>; json: { stepCount: number; groups: H[] } } {
    const tensors = new Map<string, Tensor>();
    this.parameters().forEach((p, i) => {
      for (const [k, t] of this.state.get(p) ?? []) tensors.set(`${i}.${k}`, t);
    });
    return { tensors, json: { stepCount: this.stepCount, groups: this.groups.map((g) => ({ ...g.hp })) } };
  }

  loadStateDict(s: { tensors: ReadonlyMap<string, Tensor>; json: { stepCount: number; groups: H[] } }): void {
    if (s.json.groups.length !== this.groups.length) {
      throw new LnasError('LNAS_STATE_MISMATCH', `optimizer state has ${s.json.groups.length} parameter groups, this optimizer ${this.groups.length}`);
    }
    this.stepCount = s.json.stepCount;
    s.json.groups.forEach((hp, i) => { (this.groups[i] as ParamGroup<H>).hp = { ...hp }; });
    this.disposeState();
    const params = this.parameters();
    for (const [key, t] of s.tensors) {
      const dot = key.indexOf('.');
      const p = params[Number(key.slice(0, dot))];
      if (p === undefined) throw new LnasError('LNAS_STATE_MISMATCH', `optimizer state names parameter ${key.slice(0, dot)}, which does not exist`, { path: key });
      this.stateOf(p).set(key.slice(dot + 1), noGrad(() => t.clone()).keep());
    }
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
