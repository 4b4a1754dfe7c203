import { zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, lazyState } from './optimizer.js';

export interface SgdOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/** SGD with momentum, nesterov and L2 weight decay, exactly as torch.optim.SGD. */
export class SGD extends Optimizer<SgdOptions> {
  constructor(params: ConstructorParameters<typeof Optimizer<SgdOptions>>[0], o: Partial<SgdOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...o });
  }

  /** The momentum buffer of each parameter that has one (read by DARTS' unrolled step). */
  momentumBuffers(): Map<Tensor, Tensor> {
    const out = new Map<Tensor, Tensor>();
    for (const [p, s] of this.state) {
      const b = s.get('momentum_buffer');
      if (b) out.set(p, b);
    }
    return out;
  }

  protected update(p: Tensor, grad: Tensor, hp: SgdOptions, state: Map<string, Tensor>): void {
    let d = hp.weightDecay !== 0 ? grad.add(p, hp.weightDecay) : grad;
    if (hp.momentum !== 0) {
      const [buf, fresh] = lazyState(state, 'momentum_buffer', () => zerosLike(p));
      if (fresh) buf.copy_(d);
      else buf.mul_(hp.momentum).add_(d, 1 - hp.dampening);
      d = hp.nesterov ? d.add(buf, hp.momentum) : buf;
    }
    p.add_(d, -hp.lr);
  }
}
