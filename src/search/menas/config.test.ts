import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../cli/args.js';
import { ConfigError } from '../../errors.js';
import { budgetOf, evolveConfigOf, evolveIdentity, evolveSections, randomTwin } from './config.js';
import type { CandidateRecord } from './files.js';
import { candidatePayload, retrainPayload } from './payloads.js';
import { EVOLVE_PRESETS } from './presets.js';
import { bestSoFar, generationStats } from './records.js';
import { tinyConfig } from './testing.js';

const parse = (argv: string[], preset?: string) =>
  evolveConfigOf(parseArgs(preset ? ['--preset', preset, ...argv] : argv, evolveSections, 'evolve', EVOLVE_PRESETS, 'quick').config);

test('presets: quick is population 8 × 3 generations on CIFAR-10; paper has the paper\'s schedule', () => {
  const q = parse([]);
  assert.deepEqual([q.population, q.generations, budgetOf(q), q.data.dataset, q.optim.epochs], [8, 3, 24, 'cifar10', 2]);
  const p = parse([], 'paper');
  assert.deepEqual([p.population, p.generations, p.mutationProb, p.optim.epochs, p.ticket.finetuneEpochs], [60, 5, 0.08, 30, 3]);
  assert.deepEqual([p.final.optim.optimizer, p.final.optim.momentum, p.final.optim.decayRate, p.final.optim.decayEvery, p.final.optim.ema], ['rmsprop-tf', 0.9, 0.97, 2.4, 0.9999]);
  assert.equal(parse(['--final-epochs', '7', '--final-lr', '0.5']).final.optim.lr, 0.5);
  assert.equal(parse(['--final-epochs', '7']).final.epochs, 7);
});

test('identity: workers, threads and the later stages do not change the folder; the strategy and training do', () => {
  const base = parse([]);
  const id = (argv: string[]) => JSON.stringify(evolveIdentity(parse(argv)));
  assert.equal(id(['--workers', '1', '--threads', '1', '--final-epochs', '9', '--fig4-epochs', '2', '--compare-random']), JSON.stringify(evolveIdentity(base)));
  assert.notEqual(id(['--epochs', '3']), id([]));
  assert.notEqual(id(['--strategy', 'random']), id([]));
  // The random baseline ignores evolution-only knobs, but not the budget.
  assert.equal(id(['--strategy', 'random', '--top-k', '2', '--mutation-prob', '0.2']), id(['--strategy', 'random']));
  assert.notEqual(id(['--strategy', 'random', '--generations', '4']), id(['--strategy', 'random']));
  assert.equal(JSON.stringify(evolveIdentity(randomTwin(base))), id(['--strategy', 'random']));
});

test('trial folders are content-addressed: same genome and training, same folder, whichever strategy asks', () => {
  const c = tinyConfig();
  const genome = JSON.parse(JSON.stringify({ a: 1 })) as never;
  assert.equal(candidatePayload(c, '/r', genome).dir, candidatePayload(randomTwin(c), '/r', genome).dir);
  assert.notEqual(candidatePayload(c, '/r', genome).dir, candidatePayload({ ...c, optim: { ...c.optim, lr: 0.1 } }, '/r', genome).dir);
  assert.match(candidatePayload(c, '/r', genome).dir, /^\/r\/mcand-[0-9a-f]{12}$/);
  assert.notEqual(retrainPayload(c, '/r', genome, 'final', 3).dir, retrainPayload(c, '/r', genome, 'final', 4).dir);
  assert.equal(retrainPayload(c, '/r', genome, 'final', 3).dir, retrainPayload(c, '/r', genome, 'fig4-original', 3).dir);
});

test('config errors name the flag', () => {
  const bad: [string[], string][] = [[['--val-size', '0'], 'data.valSize'], [['--min-rate', '0.5', '--max-rate', '0.25'], 'ticket.minRate'], [['--top-k', '100'], 'evolve.topK']];
  for (const [argv, path] of bad) assert.throws(() => parse(argv), (e: unknown) => e instanceof ConfigError && e.path === path, path);
});

test('per-generation statistics: mean parameters (trained and ticket), epoch time, best accuracy; best so far', () => {
  const rec = (id: number, generation: number, params: number, acc: number, epochs: number[]) =>
    ({ id, generation, params, ticket_params: params / 2, mmacs: params / 100, ticket_mmacs: params / 200, epoch_times: epochs, val_acc: acc - 0.1,
      val_acc_recalibrated: acc - 0.05, ticket_acc: acc }) as unknown as CandidateRecord;
  const rs = [rec(0, 0, 1000, 0.5, [2, 4]), rec(1, 0, 3000, 0.7, [6]), rec(2, 1, 500, 0.6, [1, 1])];
  const s = generationStats(rs);
  assert.deepEqual(s.map((x) => [x.generation, x.n, x.mean_params, x.mean_ticket_params, x.mean_epoch_seconds, x.best_ticket_acc]),
    [[0, 2, 2000, 1000, 4, 0.7], [1, 1, 500, 250, 1, 0.6]]);
  assert.deepEqual(bestSoFar([rs[2]!, rs[0]!, rs[1]!]), [[1, 0.5], [2, 0.7], [3, 0.7]]);
});
