import { onesLike, zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, lazyState } from './optimizer.js';

export interface RmspropOptions {
  lr: number;
  alpha: number;
  eps: number;
  momentum: number;
  weightDecay: number;
  /**
   * TensorFlow's variant, used to train MnasNet/MobileNetV3/EfficientNet: the square average
   * starts at 1, eps goes inside the square root, and the learning rate is applied inside the
   * momentum buffer.
   */
  tfStyle: boolean;
}

export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: ConstructorParameters<typeof Optimizer<RmspropOptions>>[0], o: Partial<RmspropOptions> & { lr: number }) {
    super(params, { alpha: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0, tfStyle: false, ...o });
  }

  protected update(p: Tensor, grad: Tensor, hp: RmspropOptions, state: Map<string, Tensor>): void {
    const g = hp.weightDecay !== 0 ? grad.add(p, hp.weightDecay) : grad;
    const [sq] = lazyState(state, 'square_avg', () => (hp.tfStyle ? onesLike(p) : zerosLike(p)));
    sq.mul_(hp.alpha).addcmul_(g, g, 1 - hp.alpha);
    const avg = hp.tfStyle ? sq.add(hp.eps).sqrt() : sq.sqrt().add(hp.eps);
    if (hp.momentum > 0) {
      const [buf] = lazyState(state, 'momentum_buffer', () => zerosLike(p));
      if (hp.tfStyle) {
        buf.mul_(hp.momentum).addcdiv_(g, avg, hp.lr);
        p.sub_(buf);
      } else {
        buf.mul_(hp.momentum).addcdiv_(g, avg, 1);
        p.add_(buf, -hp.lr);
      }
    } else {
      p.addcdiv_(g, avg, -hp.lr);
    }
  }
}
