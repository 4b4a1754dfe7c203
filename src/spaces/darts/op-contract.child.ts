// Child process of ops-native.test.ts: runs every DARTS op, FactorizedReduce, the raw 1×1
// stride-2 convolution and a small supernet search step at tiny channel counts, forward and
// backward, in both layouts, many times. The parent runs it with glibc's heap checks on
// (MALLOC_CHECK_=3) and oneDNN capped at AVX2, where libtorch 1.13's channels_last 1×1 stride-2
// convolution backward corrupts the heap for inputs of 2–6 channels; a corruption aborts this
// process, which the parent sees as a non-zero exit.
import { randn } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { manualSeed, setNumThreads } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { OPS } from './ops.js';
import { PRIMITIVES } from './primitives.js';
import { Supernet } from './supernet.js';

setNumThreads(1);
manualSeed(0);
const repeats = Number(process.argv[2] ?? 40);

for (const channels of [1, 2, 3, 4, 6]) {
  for (const cl of [true, false]) {
    // The raw operator, through the functional API every layer uses.
    const w = randn([2, channels, 1, 1]).requiresGrad_().keep();
    for (let i = 0; i < repeats; i++) {
      scope(() => {
        const x0 = randn([2, channels, 8, 8]).requiresGrad_();
        const x = cl ? x0.contiguous('channelsLast') : x0;
        const a = F.conv2d(x, w, null, { stride: 2 });
        F.cat([a, a], 1).sum().backward();
      });
    }
    w.dispose();
    for (const p of PRIMITIVES) {
      if (p === 'none') continue;
      for (const stride of [1, 2]) {
        const op = OPS[p]({ channels: channels % 2 === 0 ? channels : channels + 1, stride, affine: true, search: false });
        if (cl) op.toMemoryFormat('channelsLast');
        const c = channels % 2 === 0 ? channels : channels + 1;
        for (let i = 0; i < repeats / 4; i++) {
          scope(() => {
            const x0 = randn([2, c, 8, 8]).requiresGrad_();
            const x = cl ? x0.contiguous('channelsLast') : x0;
            const y = op.forward(x);
            F.cat([y, y], 1).sum().backward();
          });
        }
        op.dispose();
      }
    }
  }
}
// A whole supernet (reduction cells, factorized preprocessing) at 2 and 3 channels.
for (const channels of [2, 3]) {
  const net = new Supernet({ channels, layers: 5, classes: 10 });
  net.toMemoryFormat('channelsLast');
  for (let i = 0; i < 4; i++) {
    scope(() => {
      const x = randn([2, 3, 16, 16]).contiguous('channelsLast');
      F.crossEntropy(net.forward(x), randn([2]).abs().mul(3).to('int64')).backward();
    });
  }
  net.dispose();
}
console.log('op contract: ok');
