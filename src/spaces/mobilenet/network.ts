// A MobileNet3-MT candidate as a Layer: stem, five stages of inverted residuals, tail (1x1
// conv, global pool, optional feature layer, classifier). The network remembers its genome and
// config, which is what channel pruning needs to build the pruned sibling.

import { Dropout, Linear, Sequential } from '../../nn/layers.js';
import { Layer } from '../../nn/module.js';
import * as F from '../../tensor/functional.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type MobileNetArch, resolveArch } from './arch.js';
import { InvertedResidual, ConvBnAct } from './blocks.js';
import type { MobileNetSpaceConfig } from './config.js';
import { type MobileNetGenome, validateGenome } from './genome.js';

export class MobileNetNetwork extends Layer {
  readonly genome: MobileNetGenome;
  readonly arch: MobileNetArch;
  readonly stem: ConvBnAct;
  /** stages.<s-1>.<i-1> is layer s<s>_i<i>. */
  readonly stages: Sequential;
  readonly blocks: readonly InvertedResidual[];
  readonly head: ConvBnAct;
  readonly features: Linear | null;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  /** `genome` is validated against `config` (ConfigError naming the label otherwise). */
  constructor(genome: unknown, readonly config: MobileNetSpaceConfig) {
    super();
    this.genome = validateGenome(config, genome);
    const a = resolveArch(this.genome, config);
    this.arch = a;
    this.stem = this.child('stem', new ConvBnAct(a.inChannels, a.stem.channels, 3, { stride: a.stem.stride, act: 'hardswish' }));
    const stages = a.stages.map((layers) => new Sequential(...layers.map((l) => new InvertedResidual(l))));
    this.stages = this.child('stages', new Sequential(...stages));
    this.blocks = stages.flatMap((s) => s.layers as InvertedResidual[]);
    this.head = this.child('head', new ConvBnAct(a.head.inChannels, a.head.channels, 1, { act: 'hardswish' }));
    this.features = a.features > 0 ? this.child('features', new Linear(a.head.channels, a.features)) : null;
    this.dropout = this.child('dropout', new Dropout(a.dropout));
    this.classifier = this.child('classifier', new Linear(a.features > 0 ? a.features : a.head.channels, a.classes));
  }

  forward(x: Tensor): Tensor {
    let y = this.head.forward(this.stages.forward(this.stem.forward(x)));
    y = F.adaptiveAvgPool2d(y, 1).flatten(1);
    if (this.features) y = F.hardswish(this.features.forward(y));
    return this.classifier.forward(this.dropout.forward(y));
  }
}
