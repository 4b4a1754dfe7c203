// End-to-end through the CLI: a tiny synthetic evolution (population 4, 2 generations, one
// epoch) on 2 workers × 1 thread, SIGKILLed mid-way and run again, then its report.
// evolve.slow.test.ts adds the random baseline, the final retraining and Fig. 4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { wellFormedErrors } from '../../report/xml-check.js';
import type { CandidateRecord, EvolveSummary } from './files.js';
import { CLI, killAndRerun, TINY_ARGS } from './testing.js';

const read = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;
const workers = String(Math.min(2, availableParallelism()));

test('evolve: killed with SIGKILL and run again, finished candidates are not retrained; per-generation records and report', async () => {
  const runs = mkdtempSync(join(tmpdir(), 'lnas-evolve-'));
  const { before, finished, rerun: r } = await killAndRerun(['evolve', ...TINY_ARGS, '--workers', workers], [], runs);
  assert.ok(before >= 2 && before < 8, `killed after ${before} of 8`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`resuming after ${before} finished`));
  for (const [d, mtime] of finished) {
    assert.equal(statSync(join(d, 'result.json')).mtimeMs, mtime, `${d} was trained again`);
    assert.doesNotMatch(r.stderr, new RegExp(`\\[${d.split('/').pop()}\\] training`));
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { dir: string; compare: string | null; final: string | null };
  assert.deepEqual([out.compare, out.final], [null, null]);
  const s = read<EvolveSummary>(join(out.dir, 'summary.json'));
  assert.deepEqual([s.kind, s.status, s.strategy, s.evaluations, s.budget], ['menas', 'done', 'evolution', 8, 8]);
  assert.deepEqual(s.per_generation.map((g) => [g.generation, g.n]), [[0, 4], [1, 4]]);
  for (const g of s.per_generation) assert.ok(g.mean_params > 0 && g.mean_ticket_params <= g.mean_params && g.mean_epoch_seconds > 0);

  const cands = read<CandidateRecord[]>(join(out.dir, 'candidates.json'));
  assert.equal(cands.length, 8);
  assert.equal(new Set(cands.map((c) => c.dir)).size, 8);
  for (const c of cands) {
    assert.ok(c.blocks.length === 5 && c.ticket_blocks.length === 5 && c.epoch_times.length === 1 && c.explore_seconds > 0);
    assert.ok(c.ticket_params <= c.params && c.ticket_mmacs <= c.mmacs);
    assert.equal(read<{ ticket_acc: number }>(join(c.dir, 'result.json')).ticket_acc, c.ticket_acc);
  }
  assert.equal(s.best?.ticket_acc, Math.max(...cands.map((c) => c.ticket_acc)));
  // Generation 1 is bred from generation 0's tickets.
  const tickets = new Set(cands.filter((c) => c.generation === 0).map((c) => JSON.stringify(c.ticket)));
  assert.equal(cands.filter((c) => c.generation === 1 && tickets.has(JSON.stringify(c.genome))).length, 0, 'children are new genomes');

  for (const f of ['epoch-time', 'accuracy-params', 'pareto']) {
    assert.deepEqual(wellFormedErrors(readFileSync(join(out.dir, `${f}.svg`), 'utf8')), [], f);
  }
  assert.ok(!existsSync(join(out.dir, 'comparison.svg')) && !existsSync(join(out.dir, 'figure4.svg')));
  const html = readFileSync(join(out.dir, 'report.html'), 'utf8');
  assert.deepEqual(wellFormedErrors(html, { html: true }), []);
  assert.match(html, /ir_r1_k\d_s\d_e\d_c\d+/, 'the best genome as block strings');
  assert.match(readFileSync(join(out.dir, 'report.md'), 'utf8'), /\| +1 \| +4 \|/);
  // `lnas report` recognises the folder and rewrites the same report.
  const rep = spawnSync(process.execPath, [CLI, 'report', out.dir], { encoding: 'utf8' });
  assert.equal(rep.status, 0, rep.stderr);
  assert.match(rep.stdout, /^# MENAS evolution run [0-9a-f]{12} \(done\)/);
});
