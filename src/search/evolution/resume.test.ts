// Snapshot after every evaluation, restore in a fresh engine, and the run continues exactly as
// if it had never stopped: the same proposals, ids, generations and results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError } from '../../errors.js';
import { choiceSpace } from '../../spaces/choice-space.js';
import { createEngine, restoreEngine, type EngineConfig } from './factory.js';
import { runSearch } from './run.js';
import type { Evaluate } from '../../spaces/space.js';
import { toyEvaluate, toySpace, type ToyGenome } from './toy-space.js';
import { STRATEGIES, type EngineSnapshot, type HistoryEntry } from './types.js';

const space = toySpace();
const byId = (h: readonly HistoryEntry<ToyGenome>[]) =>
  [...h].sort((a, b) => a.id - b.id).map((e) => ({ id: e.id, generation: e.generation, genome: e.genome, fitness: e.fitness }));

async function straightRun(cfg: EngineConfig) {
  const engine = createEngine(space, cfg);
  const snaps: EngineSnapshot<ToyGenome>[] = [];
  await runSearch(engine, toyEvaluate, { onSnapshot: (s) => { snaps.push(s); } });
  return { engine, snaps };
}

for (const strategy of STRATEGIES) {
  for (const concurrency of [1, 3]) {
    const cfg = { strategy, budget: 50, seed: 5, concurrency, populationSize: 9, constraint: { maxCost: 15 } } as EngineConfig;

    test(`${strategy} (concurrency ${concurrency}): restoring any snapshot finishes identically`, async () => {
      const { engine, snaps } = await straightRun(cfg);
      assert.equal(snaps.length, 50);
      for (const n of [1, 10, 27, 49]) {
        const restored = restoreEngine(space, JSON.parse(JSON.stringify(snaps[n - 1])));
        assert.equal(restored.history.length, n);
        await runSearch(restored, toyEvaluate);
        assert.deepEqual(byId(restored.history), byId(engine.history), `restored after ${n}`);
        assert.deepEqual(restored.snapshot().rng, engine.snapshot().rng);
      }
    });

    test(`${strategy} (concurrency ${concurrency}): a crash mid-run loses only the failed trial`, async () => {
      const { engine } = await straightRun(cfg);
      let calls = 0;
      let last: EngineSnapshot<ToyGenome> | undefined;
      const crashing: Evaluate<ToyGenome> = async (g) => {
        if (++calls === 24) throw new Error('worker died');
        return toyEvaluate(g);
      };
      const crashed = createEngine(space, cfg);
      await assert.rejects(runSearch(crashed, crashing, { onSnapshot: (s) => { last = s; } }), /worker died/);
      assert.ok(last);
      assert.equal(last.history.length, calls - 1); // the others in flight were still recorded
      assert.ok(last.pending.length <= 1);
      const restored = restoreEngine(space, JSON.parse(JSON.stringify(last)));
      const counted: string[] = [];
      await runSearch(restored, async (g) => { counted.push(space.key(g)); return toyEvaluate(g); });
      assert.equal(counted.length, 50 - last.history.length);
      assert.deepEqual(byId(restored.history), byId(engine.history));
    });
  }
}

test('a restored snapshot is checked: wrong space, bad genome, wrong format', async () => {
  const { snaps } = await straightRun({ strategy: 'evolution', budget: 20, seed: 1, populationSize: 5 });
  const snap = JSON.parse(JSON.stringify(snaps[9])) as EngineSnapshot<ToyGenome>;
  const other = choiceSpace('other', { a: [1] });
  assert.throws(() => restoreEngine(other, snap), (e: unknown) => e instanceof DataError && e.code === 'LNAS_SNAPSHOT' && e.path === 'space');
  const badGenome = JSON.parse(JSON.stringify(snap));
  badGenome.history[3].genome.g2 = 9;
  assert.throws(() => restoreEngine(space, badGenome), (e: unknown) => e instanceof DataError && e.path === 'history[3].genome' && /g2/.test(e.message));
  assert.throws(() => restoreEngine(space, { ...snap, format: 'x' }), (e: unknown) => e instanceof DataError && e.path === 'format');
  assert.throws(() => restoreEngine(space, { ...snap, rng: [1, 2] }), (e: unknown) => e instanceof DataError && e.path === 'rng');
  assert.throws(() => restoreEngine(space, { ...snap, state: { generation: 'x', queue: [] } }), (e: unknown) => e instanceof DataError && e.path === 'state');
});

test('evaluations in flight at snapshot time are handed out again first, with their ids', () => {
  const engine = createEngine(space, { strategy: 'random', budget: 10, seed: 3, concurrency: 3 });
  const asked = [engine.ask(), engine.ask(), engine.ask()];
  const [p0, p1, p2] = asked.map((p) => { assert.ok(typeof p === 'object'); return p; });
  engine.tell(p1!.id, { fitness: 1 });
  const restored = restoreEngine(space, JSON.parse(JSON.stringify(engine.snapshot())));
  assert.deepEqual(restored.pending.map((p) => p.id), [p0!.id, p2!.id]);
  assert.deepEqual(restored.ask(), p0);
  assert.deepEqual(restored.ask(), p2);
  const fresh = restored.ask();
  assert.ok(typeof fresh === 'object' && fresh.id === 3);
  assert.deepEqual(fresh, engine.ask());
});
