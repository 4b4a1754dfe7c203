// Finite-difference gradient check (float64): compares autograd's gradient of
// L = sum(f(inputs) * r), r random, with central differences for every input element.
import { tensor } from './creation.js';
import { noGrad } from './runtime.js';
import { scope } from './scope.js';
import { Tensor } from './tensor.js';

export interface GradCheckResult {
  maxAbsError: number;
  maxRelError: number;
  checked: number;
}

export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], eps = 1e-6): GradCheckResult {
  return scope(() => {
    const xs = inputs.map((x) => x.detach().clone().requiresGrad_(true));
    const out = f(...xs);
    const r = tensor(Float64Array.from({ length: out.numel }, (_, i) => Math.sin(i * 1.7 + 0.3)), out.shape);
    out.mul(r).sum().backward();
    const loss = (vals: Tensor[]): number => noGrad(() => scope(() => f(...vals).mul(r).sum().item()));
    let maxAbs = 0;
    let maxRel = 0;
    let checked = 0;
    xs.forEach((x, which) => {
      const analytic = (x.grad as Tensor).toArray() as Float64Array;
      const base = x.detach().toArray() as Float64Array;
      for (let i = 0; i < base.length; i++) {
        const plus = Float64Array.from(base);
        const minus = Float64Array.from(base);
        plus[i] = (base[i] as number) + eps;
        minus[i] = (base[i] as number) - eps;
        const at = (data: Float64Array) => xs.map((y, j) => (j === which ? tensor(data, x.shape) : y.detach()));
        const numeric = (loss(at(plus)) - loss(at(minus))) / (2 * eps);
        const a = analytic[i] as number;
        const abs = Math.abs(a - numeric);
        maxAbs = Math.max(maxAbs, abs);
        maxRel = Math.max(maxRel, abs / Math.max(1e-3, Math.abs(a) + Math.abs(numeric)));
        checked++;
      }
    });
    return { maxAbsError: maxAbs, maxRelError: maxRel, checked };
  });
}
