import { zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, lazyState } from './optimizer.js';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** Adam with L2 weight decay added to the gradient, exactly as torch.optim.Adam. */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ConstructorParameters<typeof Optimizer<AdamOptions>>[0], o: Partial<AdamOptions> & { lr: number }) {
    super(params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, ...o });
  }

  protected update(p: Tensor, grad: Tensor, hp: AdamOptions, state: Map<string, Tensor>): void {
    const g = hp.weightDecay !== 0 ? grad.add(p, hp.weightDecay) : grad;
    const [m] = lazyState(state, 'exp_avg', () => zerosLike(p));
    const [v] = lazyState(state, 'exp_avg_sq', () => zerosLike(p));
    const [stepT] = lazyState(state, 'step', () => zerosLike(p).sum().to('float64'));
    stepT.add_(1);
    const step = stepT.item();
    m.mul_(hp.beta1).add_(g, 1 - hp.beta1);
    v.mul_(hp.beta2).addcmul_(g, g, 1 - hp.beta2);
    const bc1 = 1 - hp.beta1 ** step;
    const bc2 = 1 - hp.beta2 ** step;
    const denom = v.sqrt().div(Math.sqrt(bc2)).add(hp.eps);
    p.addcdiv_(m, denom, -hp.lr / bc1);
  }
}
