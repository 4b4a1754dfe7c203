// A small 3-conv CNN (conv-BN-ReLU ×3 with max pooling, 2×2 average pool, linear): the
// foundation's reference model for real-data smoke runs and for benchmarks against PyTorch.
// Pooling to 2×2 rather than 1×1 keeps coarse spatial layout, which single-epoch Fashion-MNIST
// needs (measured: 79.4% with a global pool, see the README).
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../nn/layers.js';
import type { Layer } from '../nn/module.js';

export function smallCnn(inChannels: number, classes: number, width = 32): Layer {
  const block = (cin: number, cout: number) => [new Conv2d(cin, cout, 3, { padding: 1, bias: false }), new BatchNorm2d(cout), ReLU()];
  return new Sequential(
    ...block(inChannels, width), MaxPool2d(2),
    ...block(width, width * 2), MaxPool2d(2),
    ...block(width * 2, width * 4),
    AdaptiveAvgPool2d(2), Flatten(), new Linear(width * 4 * 4, classes),
  );
}
