// Times the search spaces' 3×3 pools (padding 1) in eval (no gradient), channels_last float32:
// lnas::pool3x3's direct kernel (native/kernels.cc) against aten's max_pool2d / avg_pool2d
// (count_include_pad false), on the DARTS supernet's shapes at batch 32. Interleaved repeats,
// median µs per call, one JSON line per shape, op and stride.
//   THREADS=2 node scripts/bench/pool3x3.mjs [repeats]
import { randn } from '../../dist/tensor/creation.js';
import { noGrad, setNumThreads } from '../../dist/tensor/runtime.js';
import { callT } from '../../dist/tensor/tensor.js';

const threads = Number(process.env.THREADS ?? 1);
setNumThreads(threads);
const repeats = Number(process.argv[2] ?? 15);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const forms = (max, s) => ({
  lnas: (x) => callT('lnas::pool3x3', [x, max, s, false]),
  aten: (x) => (max ? callT('aten::max_pool2d', [x, [3, 3], [s, s], [1, 1], [1, 1], false]) : callT('aten::avg_pool2d', [x, [3, 3], [s, s], [1, 1], false, false, null])),
});
noGrad(() => {
  for (const [n, c, hw] of [[32, 8, 32], [32, 16, 16], [32, 32, 8], [64, 16, 32], [64, 64, 8]]) {
    const x = randn([n, c, hw, hw]).contiguous('channelsLast').keep();
    for (const max of [true, false]) for (const stride of [1, 2]) {
      const times = { lnas: [], aten: [] };
      for (let r = 0; r < repeats + 2; r++) {
        for (const [name, f] of Object.entries(forms(max, stride))) {
          const t0 = performance.now();
          for (let i = 0; i < 20; i++) f(x).dispose();
          if (r >= 2) times[name].push((performance.now() - t0) / 20 * 1000);
        }
      }
      const [l, a] = [median(times.lnas), median(times.aten)];
      console.log(JSON.stringify({ op: max ? 'max' : 'avg', shape: [n, c, hw, hw], stride, threads, lnas_us: +l.toFixed(1), aten_us: +a.toFixed(1), speedup: +(a / l).toFixed(2) }));
    }
    x.dispose();
  }
});
