// `lnas evolve --max-latency-ms` end to end: a tiny synthetic evolution whose every candidate
// record carries its measured latency, within the budget.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { wellFormedErrors } from '../report/xml-check.js';
import { evolveSpace, GenomeLatency } from '../search/menas/evolve.js';
import type { CandidateRecord } from '../search/menas/files.js';
import { CLI, TINY_ARGS, tinyConfig } from '../search/menas/testing.js';
import { Rng } from '../util/rng.js';

test('lnas evolve --max-latency-ms: every candidate measured within the budget, latency recorded per candidate and ticket', async () => {
  const space = evolveSpace(tinyConfig());
  const latency = new GenomeLatency(space, 1);
  const sample = Array.from({ length: 9 }, (_, i) => latency.of(space.sample(new Rng(200 + i)))).sort((a, b) => a - b);
  await latency.close();
  // Generous (the largest of 9 random genomes, doubled): the run measures again, on a machine that also trains.
  const budget = 2 * (sample[8] as number);
  const runs = mkdtempSync(join(tmpdir(), 'lnas-evolve-latency-'));
  const r = spawnSync(process.execPath, [CLI, 'evolve', ...TINY_ARGS, '--workers', '1', '--max-latency-ms', String(budget)], { encoding: 'utf8', env: { ...process.env, LNAS_RUNS_DIR: runs } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`and ${budget} ms \\(ONNX Runtime, batch 1, 1 thread\\)`));
  const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { dir: string };
  const cands = JSON.parse(readFileSync(join(out.dir, 'candidates.json'), 'utf8')) as CandidateRecord[];
  assert.equal(cands.length, 8);
  for (const c of cands) {
    assert.ok(typeof c.latency_ms === 'number' && c.latency_ms > 0 && c.latency_ms <= budget, `${c.latency_ms} ms`);
    assert.ok(typeof c.ticket_latency_ms === 'number' && c.ticket_latency_ms > 0);
  }
  // The report draws the Pareto front against latency too.
  assert.deepEqual(wellFormedErrors(readFileSync(join(out.dir, 'pareto-latency.svg'), 'utf8')), []);
  assert.match(readFileSync(join(out.dir, 'report.html'), 'utf8'), /measured latency/);
});
