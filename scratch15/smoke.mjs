import { smallCnn } from '/work/wt15/dist/models/small-cnn.js';
import { GenotypeNetwork } from '/work/wt15/dist/spaces/darts/network.js';
import { resolveGenotype } from '/work/wt15/dist/spaces/darts/genotypes.js';
import { exportOnnx } from '/work/wt15/dist/export/onnx.js';
import { tensor, randn } from '/work/wt15/dist/tensor/creation.js';
import { noGrad } from '/work/wt15/dist/tensor/runtime.js';
import { mobilenetSpace } from '/work/wt15/dist/spaces/mobilenet/space.js';
import { spaceConfigFor } from '/work/wt15/dist/search/menas/data.js';
import { Rng } from '/work/wt15/dist/util/rng.js';
import ort from 'onnxruntime-node';
const space = mobilenetSpace(spaceConfigFor({channels:3,height:32,width:32,classes:10}, {widthMults:[0.5,0.75,1], depths:[1,2,3]}));
const models = {
  small: smallCnn(3, 10),
  darts: new GenotypeNetwork(resolveGenotype('DARTS_V2'), { channels: 8, layers: 5, classes: 10 }),
  mobilenet: space.build(space.sample(new Rng(1))),
};
for (const [k, m] of Object.entries(models)) {
  m.eval();
  const t0 = performance.now();
  const bytes = exportOnnx(m, { input: [3, 32, 32] });
  const t1 = performance.now();
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const x = noGrad(() => randn([4, 3, 32, 32]));
  const ref = noGrad(() => m.forward(x)).toArray();
  const out = await s.run({ input: new ort.Tensor('float32', x.toArray(), [4, 3, 32, 32]) });
  const got = out.logits.data;
  let d = 0; for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - got[i]));
  console.log(k, bytes.length, (t1 - t0).toFixed(0) + 'ms', 'maxdiff', d, out.logits.dims);
}
