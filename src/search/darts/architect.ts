// The bilevel update of DARTS. First order: α ← Adam(∇α L_val(w, α)). Second order (the
// unrolled approximation, Eq. 6 of the LNAS paper): a virtual SGD step
// w' = w − ξ(momentum·buf + ∇w L_train(w, α) + wd·w), then
// ∇α L_val(w', α) − ξ·[∇α L_train(w⁺, α) − ∇α L_train(w⁻, α)] / 2ε with w± = w ± ε∇w' L_val(w', α)
// and ε = 0.01 / ‖∇w' L_val(w', α)‖, as in DARTS' architect.py.
import type { Adam } from '../../optim/adam.js';
import { clipGradNorm } from '../../optim/clip.js';
import type { SGD } from '../../optim/sgd.js';
import * as F from '../../tensor/functional.js';
import { grad, noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface SearchBatch { x: Tensor; y: Tensor }

/** What the architect needs of a supernet (the DARTS one, the NAS-Bench-201 one): weights and α apart. */
export interface ArchNet {
  forward(x: Tensor, detachAlpha?: boolean): Tensor;
  parameters(): Tensor[];
  archParameters(): Tensor[];
}

export interface ArchitectOptions {
  order: 1 | 2;
  /** ξ: the virtual step's learning rate (DARTS uses the current weight learning rate). */
  xi: number;
  momentum: number;
  weightDecay: number;
  /** Numerator of the finite-difference step ε = epsilon / ‖∇w' L_val‖ (DARTS: 0.01). */
  epsilon?: number;
}

const lossOf = (net: ArchNet, b: SearchBatch, detachAlpha = false) => F.crossEntropy(net.forward(b.x, detachAlpha), b.y);

function setGrads(params: readonly Tensor[], grads: readonly (Tensor | null)[]): void {
  params.forEach((p, i) => { p.grad = grads[i] ?? null; });
}

/** ∇α L(batch), without computing weight gradients. Returns the loss. */
export function firstOrderAlphaGrad(net: ArchNet, val: SearchBatch): number {
  return scope(() => {
    const loss = lossOf(net, val);
    setGrads(net.archParameters(), grad([loss], net.archParameters(), { allowUnused: true }));
    return loss.item();
  });
}

/** Second-order α gradient (see the file comment). Leaves weights exactly as they were. */
export function secondOrderAlphaGrad(net: ArchNet, train: SearchBatch, val: SearchBatch, wOpt: SGD, o: ArchitectOptions): number {
  const weights = net.parameters();
  const alphas = net.archParameters();
  return scope(() => {
    const backup = noGrad(() => weights.map((w) => w.detach().clone()));
    // Virtual step w' (with the optimizer's momentum buffer, as DARTS does).
    const gTrain = grad([lossOf(net, train, true)], weights, { allowUnused: true });
    const momentum = wOpt.momentumBuffers();
    noGrad(() => weights.forEach((w, i) => {
      let d = (gTrain[i] ?? w.mul(0)).add(w, o.weightDecay);
      const buf = momentum.get(w);
      if (buf) d = d.add(buf, o.momentum);
      w.sub_(d, o.xi);
    }));
    const lossVal = lossOf(net, val);
    const g = grad([lossVal], [...alphas, ...weights], { allowUnused: true });
    const dAlpha = g.slice(0, alphas.length);
    const dW = g.slice(alphas.length).map((t, i) => t ?? (weights[i] as Tensor).mul(0));
    const r = (o.epsilon ?? 0.01) / noGrad(() => F.stack(dW.map((t) => t.norm())).norm().item());
    const alphaGradAt = (sign: 1 | -1): (Tensor | null)[] => {
      noGrad(() => weights.forEach((w, i) => w.copy_(backup[i] as Tensor).add_(dW[i] as Tensor, sign * r)));
      return grad([lossOf(net, train)], alphas, { allowUnused: true });
    };
    const gPlus = alphaGradAt(1);
    const gMinus = alphaGradAt(-1);
    noGrad(() => weights.forEach((w, i) => w.copy_(backup[i] as Tensor)));
    const combined = alphas.map((a, i) => noGrad(() => {
      const hvp = (gPlus[i] ?? a.mul(0)).sub(gMinus[i] ?? a.mul(0)).div(2 * r);
      return (dAlpha[i] ?? a.mul(0)).sub(hvp, o.xi);
    }));
    setGrads(alphas, combined);
    return lossVal.item();
  });
}

export interface SearchStepResult { trainLoss: number; valLoss: number; trainCorrect: number }

/**
 * One search step: α update (first or second order), then the weight update. With `val` null the
 * α update is skipped (weight warm-up, or a step between α updates) and valLoss is NaN.
 */
export function searchStep(net: ArchNet, train: SearchBatch, val: SearchBatch | null, aOpt: Adam, wOpt: SGD, o: ArchitectOptions & { clip: number },
  afterWeightStep?: () => void): SearchStepResult {
  let valLoss = NaN;
  if (val) {
    aOpt.zeroGrad();
    valLoss = o.order === 1 ? firstOrderAlphaGrad(net, val) : secondOrderAlphaGrad(net, train, val, wOpt, o);
    aOpt.step();
  }
  return scope(() => {
    const logits = net.forward(train.x, true);
    const loss = F.crossEntropy(logits, train.y);
    setGrads(net.parameters(), grad([loss], net.parameters(), { allowUnused: true }));
    if (o.clip > 0) clipGradNorm(net.parameters(), o.clip);
    wOpt.step();
    afterWeightStep?.();
    const [correct] = noGrad(() => F.correctTopK(logits, train.y, [1]));
    return { trainLoss: loss.item(), valLoss, trainCorrect: correct ?? 0 };
  });
}
