// End-to-end with every stage: the tiny evolution SIGKILLed and rerun with --compare-random,
// the final retraining and Fig. 4; then `lnas report` on the two folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { wellFormedErrors } from '../../report/xml-check.js';
import type { CandidateRecord, EvolveSummary } from './files.js';
import { CLI, killAndRerun, TINY_ARGS } from './testing.js';

const read = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;
const workers = String(Math.min(2, availableParallelism()));
const LATER = ['--compare-random', '--final-epochs', '1', '--final-train-limit', '96', '--final-batch-size', '32', '--fig4-epochs', '1'];

test('evolve --compare-random with the final retraining and Fig. 4, resumed after SIGKILL; lnas report on both folders', async () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-evolve-'));
  const { rerun: r } = await killAndRerun(['evolve', ...TINY_ARGS, '--workers', workers], LATER, runs);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { dir: string; compare: string; final: string };
  const s = read<EvolveSummary>(join(out.dir, 'summary.json'));
  const cands = read<CandidateRecord[]>(join(out.dir, 'candidates.json'));

  // The random baseline: same budget; its first round is the evolution's generation 0, reused.
  const rs = read<EvolveSummary>(join(out.compare, 'summary.json'));
  assert.deepEqual([rs.strategy, rs.evaluations, rs.budget], ['random', 8, 8]);
  const randomDirs = read<CandidateRecord[]>(join(out.compare, 'candidates.json')).map((c) => c.dir);
  const gen0 = cands.filter((c) => c.generation === 0).map((c) => c.dir).sort();
  assert.deepEqual(randomDirs.filter((d) => gen0.includes(d)).sort(), gen0);
  assert.equal((r.stderr.match(/already trained, reusing/g) ?? []).length, 4);

  assert.equal(s.final?.dir, out.final);
  assert.ok(existsSync(join(out.final, 'summary.json')));
  assert.deepEqual(s.figure4.map((f) => f.label), ['fig4-original', 'fig4-ticket1', 'fig4-ticket2']);
  assert.ok(s.figure4.every((f) => f.source === 0));
  for (const f of s.figure4) assert.equal(read<{ epochs: number }>(join(f.dir, 'summary.json')).epochs, 1);

  for (const f of ['comparison', 'figure4']) assert.deepEqual(wellFormedErrors(readFileSync(join(out.dir, `${f}.svg`), 'utf8')), [], f);
  assert.match(readFileSync(join(out.dir, 'report.html'), 'utf8'), /Random search/);

  const env = { ...process.env, LNAS_RUNS_DIR: runs };
  const rep = spawnSync(process.execPath, [CLI, 'report', out.dir, out.compare], { env, encoding: 'utf8' });
  assert.equal(rep.status, 0, rep.stderr);
  assert.match(rep.stdout, /## Comparison with random search[\s\S]*MENAS[\s\S]*Random search/);
  const notEvolve = spawnSync(process.execPath, [CLI, 'report', runs], { env, encoding: 'utf8' });
  assert.match(notEvolve.stderr, /not a sweep folder/, 'other folders still go to the sweep report');
});
