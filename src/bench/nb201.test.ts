import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { runNb201Bench } from './nb201.js';

const tablePath = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201', 'nb201_full.csv');
const skip = existsSync(tablePath) ? false : `NAS-Bench-201 table not found at ${tablePath}; set LNAS_DATA_DIR`;

test('over 20 runs, MENAS evolution and REA beat random search at 150 queries', { skip }, async () => {
  const [evo, rea, random] = await Promise.all((['evolution', 'rea', 'random'] as const).map((strategy) =>
    runNb201Bench({ strategy, runs: 20, seed: 100, tablePath })));
  for (const r of [evo, rea, random]) {
    assert.ok(r);
    assert.equal(r.runs, 20);
    assert.equal(r.budget, 150);
    assert.equal(r.per_run.length, 20);
    assert.ok(r.std_test_acc > 0 && r.mean_test_acc <= 94.38);
  }
  assert.ok(evo!.mean_test_acc > random!.mean_test_acc, `evolution ${evo!.mean_test_acc} <= random ${random!.mean_test_acc}`);
  assert.ok(rea!.mean_test_acc > random!.mean_test_acc, `REA ${rea!.mean_test_acc} <= random ${random!.mean_test_acc}`);
  assert.ok(evo!.mean_test_acc >= 93.62, `evolution ${evo!.mean_test_acc} < 93.62`);
  assert.ok(evo!.mean_valid_acc > random!.mean_valid_acc);
});

test('the same seed gives the same bench result; engine options reach the engine', { skip }, async () => {
  const a = await runNb201Bench({ strategy: 'evolution', runs: 3, budget: 40, seed: 7, tablePath });
  const b = await runNb201Bench({ strategy: 'evolution', runs: 3, budget: 40, seed: 7, tablePath });
  assert.deepEqual(a.per_run, b.per_run);
  const c = await runNb201Bench({ strategy: 'evolution', runs: 3, budget: 40, seed: 7, tablePath, populationSize: 40 });
  // With populationSize 40 the whole budget is the random generation 0.
  const r = await runNb201Bench({ strategy: 'random', runs: 3, budget: 40, seed: 7, tablePath });
  assert.deepEqual(c.per_run, r.per_run);
  assert.notDeepEqual(a.per_run, c.per_run);
  const small = await runNb201Bench({ strategy: 'rea', runs: 2, budget: 30, seed: 1, tablePath, maxFlopsM: 30 });
  assert.ok(small.per_run.every((x) => x.valid_acc > 0));
});

test('bad bench options are ConfigErrors', async () => {
  await assert.rejects(runNb201Bench({ strategy: 'bogus' as never, runs: 1, seed: 0, tablePath }), (e: unknown) => e instanceof ConfigError && e.path === 'strategy');
  await assert.rejects(runNb201Bench({ strategy: 'random', runs: 0, seed: 0, tablePath }), (e: unknown) => e instanceof ConfigError && e.path === 'runs');
});
