import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../errors.js';
import { type PruningSchedule, checkSchedule, densityAfterRound, keptAfterRound, pruneEpochs, totalEpochs } from './schedule.js';

test('one-shot: prunes once at pruneAt to exactly 1-p', () => {
  const s: PruningSchedule = { kind: 'one-shot', sparsity: 0.9, epochs: 20, pruneAt: 10 };
  checkSchedule(s);
  assert.deepEqual(pruneEpochs(s), [10]);
  assert.equal(totalEpochs(s), 20);
  assert.equal(densityAfterRound(s, 0), 1);
  assert.equal(densityAfterRound(s, 1), 1 - 0.9);
  assert.equal(keptAfterRound(s, 1_000_003, 1), Math.round(1_000_003 * (1 - 0.9)));
});

test('iterative: (1-p)^(r/n) per round from the total, exactly round(total(1-p)) after round n', () => {
  const s: PruningSchedule = { kind: 'iterative', sparsity: 0.95, rounds: 7, epochsPerRound: 3 };
  checkSchedule(s);
  assert.deepEqual(pruneEpochs(s), [3, 6, 9, 12, 15, 18, 21]);
  assert.equal(totalEpochs(s), 24);
  assert.equal(totalEpochs({ ...s, finalEpochs: 10 }), 31);
  const total = 123_457;
  for (let r = 1; r <= 7; r++) {
    const kept = keptAfterRound(s, total, r);
    assert.equal(kept, Math.round(total * 0.05 ** (r / 7)), `round ${r}`);
    assert.ok(kept <= keptAfterRound(s, total, r - 1), 'targets never grow');
  }
  assert.equal(keptAfterRound(s, total, 7), Math.round(total * (1 - 0.95)));
  // 120 weights, p = 0.8, 4 rounds: rounding the survivors each round ends at 23, not 24.
  const small: PruningSchedule = { kind: 'iterative', sparsity: 0.8, rounds: 4, epochsPerRound: 1 };
  assert.deepEqual([1, 2, 3, 4].map((r) => keptAfterRound(small, 120, r)), [80, 54, 36, 24]);
  assert.throws(() => densityAfterRound(s, 8), RangeError);
});

test('impossible schedules are ConfigErrors naming the field', () => {
  const bad: [PruningSchedule, string][] = [
    [{ kind: 'one-shot', sparsity: 1, epochs: 20, pruneAt: 10 }, 'pruning.sparsity'],
    [{ kind: 'one-shot', sparsity: -0.1, epochs: 20, pruneAt: 10 }, 'pruning.sparsity'],
    [{ kind: 'one-shot', sparsity: 0.5, epochs: 20, pruneAt: 20 }, 'pruning.pruneAt'],
    [{ kind: 'one-shot', sparsity: 0.5, epochs: 0, pruneAt: 0 }, 'pruning.epochs'],
    [{ kind: 'iterative', sparsity: 0.5, rounds: 0, epochsPerRound: 2 }, 'pruning.rounds'],
    [{ kind: 'iterative', sparsity: 0.5, rounds: 2, epochsPerRound: 1.5 }, 'pruning.epochsPerRound'],
    [{ kind: 'iterative', sparsity: 0.5, rounds: 2, epochsPerRound: 2, finalEpochs: 0 }, 'pruning.finalEpochs'],
  ];
  for (const [s, path] of bad) {
    assert.throws(() => checkSchedule(s), (e: unknown) => e instanceof ConfigError && e.path === path, JSON.stringify(s));
  }
});
