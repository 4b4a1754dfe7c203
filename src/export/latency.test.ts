// The latency measurer (ONNX Runtime, batch 1, fixed threads) and the latency budget as a search
// constraint. What is checked is behaviour, not speed: timings are in `lnas bench latency`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LnasError } from '../errors.js';
import { createEngine } from '../search/evolution/factory.js';
import { runSearch } from '../search/evolution/run.js';
import { evolveSpace, GenomeLatency } from '../search/menas/evolve.js';
import { tinyConfig } from '../search/menas/testing.js';
import { setNumThreads } from '../tensor/runtime.js';
import { Rng } from '../util/rng.js';
import { LatencyMeter, measureLatency } from './latency.js';

setNumThreads(1);
const cfg = tinyConfig();
const space = evolveSpace(cfg);

test('measureLatency: warm-up and timed runs of the exported network, median between min and max', async () => {
  const net = space.build(space.sample(new Rng(1)));
  try {
    const r = await measureLatency(net, [3, 16, 16], { warmup: 2, repeats: 7, threads: 1 });
    assert.deepEqual([r.repeats, r.warmup, r.threads], [7, 2, 1]);
    assert.ok(r.min_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms, JSON.stringify(r));
    assert.ok(r.total_ms >= r.session_ms + 7 * r.min_ms);
    await assert.rejects(measureLatency(net, [3, 16, 16], { repeats: 0 }), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_CONFIG');
  } finally {
    net.dispose();
  }
});

test('LatencyMeter.measureSync blocks on a worker thread; a model ONNX Runtime rejects is a typed error, not a hang', async () => {
  const meter = new LatencyMeter({ warmup: 1, repeats: 3 });
  try {
    const net = space.build(space.sample(new Rng(2)));
    try {
      const r = meter.measureModelSync(net, [3, 16, 16]);
      assert.equal(r.repeats, 3);
      assert.ok(r.median_ms > 0 && Number.isFinite(r.median_ms));
    } finally {
      net.dispose();
    }
    assert.throws(() => meter.measureSync(new Uint8Array([1, 2, 3, 4]), [3, 16, 16]), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_LATENCY');
  } finally {
    await meter.close();
  }
});

test('a latency budget as the MENAS constraint: every genome the engine proposes measures within it', async () => {
  const latency = new GenomeLatency(space, 1);
  try {
    // A budget near the median of random genomes, so that the constraint rejects some.
    const sample = Array.from({ length: 9 }, (_, i) => latency.of(space.sample(new Rng(100 + i)))).sort((a, b) => a - b);
    const budget = sample[4] as number;
    let rejected = 0;
    const feasible = (g: Parameters<typeof latency.of>[0]) => { const ok = latency.of(g) <= budget; if (!ok) rejected++; return ok; };
    const engine = createEngine({ ...space, feasible }, { strategy: 'evolution', budget: 8, seed: 3, populationSize: 4, generations: 2, topK: 2 });
    await runSearch(engine, async (g) => ({ fitness: space.cost(g) }));
    assert.equal(engine.history.length, 8);
    for (const e of engine.history) assert.ok(latency.of(e.genome) <= budget, `${latency.of(e.genome)} ms > ${budget} ms`);
    assert.ok(rejected > 0, 'the budget rejected nothing');
  } finally {
    await latency.close();
  }
});
