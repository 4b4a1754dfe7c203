// A small 3-conv CNN (conv-BN-ReLU ×3 with max pooling, global pool, linear): the foundation's
// reference model for real-data smoke runs and for benchmarks against PyTorch.
import { BatchNorm2d, Conv2d, Flatten, GlobalAvgPool, Linear, MaxPool2d, ReLU, Sequential } from '../nn/layers.js';
import type { Layer } from '../nn/module.js';

export function smallCnn(inChannels: number, classes: number, width = 32): Layer {
  const block = (cin: number, cout: number) => [new Conv2d(cin, cout, 3, { padding: 1, bias: false }), new BatchNorm2d(cout), ReLU()];
  return new Sequential(
    ...block(inChannels, width), MaxPool2d(2),
    ...block(width, width * 2), MaxPool2d(2),
    ...block(width * 2, width * 4),
    GlobalAvgPool(), Flatten(), new Linear(width * 4, classes),
  );
}
