import { SimulatedKill, crashAfterSteps } from '../../train/testing.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TrialContext } from '../../workers/trial.js';
import { gene, geneLabels } from '../../spaces/mobilenet/genome.js';
import { liveTensors, setNumThreads } from '../../tensor/runtime.js';
import { Rng } from '../../util/rng.js';
import { type CandidateResult, candidateFiles, trainCandidate } from './candidate.js';
import { evolveSpace } from './evolve.js';
import { candidatePayload } from './payloads.js';
import { tinyConfig } from './testing.js';

setNumThreads(1);

function context(lines: string[]): TrialContext {
  return { id: 't', threads: 1, progress: { update() {}, log: (l) => { lines.push(l); }, done() {} } };
}

test('a candidate trial killed mid-training resumes from its checkpoint and ends as an uninterrupted one', async () => {
  const cfg = tinyConfig();
  const space = evolveSpace(cfg);
  const genome = space.sample(new Rng(3));
  const before = liveTensors().tensors;
  const runs = mkdtempSync(join(tmpdir(), 'lnas-menas-cand-'));
  const p = candidatePayload(cfg, runs, genome);
  const lines: string[] = [];
  // 96 training images in batches of 32: 3 steps per epoch; stop inside the second epoch.
  await assert.rejects(trainCandidate(p, { ...context(lines), progress: crashAfterSteps(4, context(lines).progress) }), SimulatedKill);
  assert.ok(existsSync(candidateFiles(p.dir).checkpoint) && !existsSync(candidateFiles(p.dir).result));
  const resumed = await trainCandidate(p, context(lines));
  assert.ok(lines.some((l) => /resumed at epoch 2, step 1/.test(l)), lines.join('\n'));

  const straight = await trainCandidate(candidatePayload(cfg, mkdtempSync(join(tmpdir(), 'lnas-menas-cand-')), genome), context([]));
  const strip = (r: CandidateResult) => ({ ...r, dir: '', epoch_times: [], train_seconds: 0, explore_seconds: 0, history: r.history.map((m) => ({ ...m, epoch_time_s: 0, images_per_s: 0 })) });
  assert.deepEqual(strip(resumed), strip(straight));

  assert.equal(resumed.epoch_times.length, 2);
  assert.equal(resumed.proposals.length, 3);
  assert.equal(resumed.ticket_acc, Math.max(...resumed.proposals.map((x) => x.top1)));
  // The ticket is the same architecture with prune rates that only grew.
  for (const l of geneLabels()) {
    if (l.endsWith('_prune')) assert.ok((gene(resumed.ticket, l) as number) >= (gene(genome, l) as number), l);
    else assert.equal(gene(resumed.ticket, l), gene(genome, l), l);
  }
  assert.ok(resumed.ticket_params <= resumed.params && resumed.ticket_mmacs <= resumed.mmacs);
  assert.equal(resumed.params, space.params(genome));
  assert.deepEqual(resumed.blocks, space.blockStrings(genome));
  for (const acc of [resumed.val_acc, resumed.val_acc_recalibrated, resumed.ticket_acc_inherited_bn]) assert.ok(acc >= 0 && acc <= 1);

  // Finished: the result file is returned as it is, nothing is trained again.
  const again = await trainCandidate(p, context([]));
  assert.deepEqual(again, JSON.parse(readFileSync(candidateFiles(p.dir).result, 'utf8')));
  assert.equal(liveTensors().tensors, before, 'no tensor outlives a trial');
});
