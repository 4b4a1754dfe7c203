// Times a 1×1 stride-2 convolution (forward + backward) in the two equivalent forms: libtorch's
// strided kernel, and the stride-1 kernel on x[:, :, ::2, ::2] that lnas uses below 16 input
// channels (see src/tensor/functional.ts). Interleaved repeats, median ms per step, one JSON line per shape.
//   node scripts/bench/pointwise-stride.mjs [repeats]
import { randn } from '../../dist/tensor/creation.js';
import * as F from '../../dist/tensor/functional.js';
import { setNumThreads } from '../../dist/tensor/runtime.js';
import { scope } from '../../dist/tensor/scope.js';
import { callT } from '../../dist/tensor/tensor.js';

setNumThreads(Number(process.env.THREADS ?? 1));
const repeats = Number(process.argv[2] ?? 15);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const forms = {
  strided: (x, w) => callT('aten::conv2d', [x, w, null, [2, 2], [0, 0], [1, 1], 1]),
  sliced: (x, w) => F.conv2d(x.slice(2, 0, x.shape[2], 2).slice(3, 0, x.shape[3], 2), w, null),
};
for (const [n, c, hw] of [[64, 16, 32], [64, 32, 16], [64, 64, 8], [32, 4, 32]]) {
  for (const layout of ['nchw', 'channelsLast']) {
    const times = { strided: [], sliced: [] };
    for (let r = 0; r < repeats + 2; r++) {
      for (const [name, f] of Object.entries(forms)) {
        scope(() => {
          const w = randn([c / 2, c, 1, 1]).requiresGrad_();
          const x0 = randn([n, c, hw, hw]);
          const x = (layout === 'nchw' ? x0 : x0.contiguous('channelsLast')).detach().requiresGrad_();
          const t0 = performance.now();
          for (let i = 0; i < 5; i++) { f(x, w).sum().backward(); }
          if (r >= 2) times[name].push((performance.now() - t0) / 5);
        });
      }
    }
    const a = median(times.strided); const b = median(times.sliced);
    console.log(JSON.stringify({ bench: 'pointwise-stride2', batch: n, channels: c, size: hw, layout, strided_ms: +a.toFixed(3), sliced_ms: +b.toFixed(3), sliced_over_strided: +(b / a).toFixed(3) }));
  }
}
