import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SweepFile } from '../../experiments/sweep-file.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { DARTS_V2 } from '../../spaces/darts/genotypes.js';
import { genotypeToJSON } from '../../spaces/darts/genotype.js';
import { wellFormedErrors } from '../xml-check.js';
import { bestUpTo, type RunData, writeReport } from './index.js';
import { figure1, figure1Repeats } from './figure1.js';

test('bestUpTo: the best value up to an epoch, null before the run got there', () => {
  const h = [0.1, 0.5, 0.3, 0.6].map((v, i) => ({ epoch: i + 1, val_acc: v, test_acc: v / 2 }));
  assert.equal(bestUpTo(h, 'val', 2), 0.5);
  assert.equal(bestUpTo(h, 'val', 3), 0.5);
  assert.equal(bestUpTo(h, 'val', 4), 0.6);
  assert.equal(bestUpTo(h, 'test', 4), 0.3);
  assert.equal(bestUpTo(h, 'val', 5), null);
  assert.equal(bestUpTo([{ epoch: 1, val_acc: null }], 'val', 1), null);
});

/** A sweep folder by hand: E = 4, the baseline reaches 0.50 by epoch 2 and 0.60 by epoch 4. */
function fakeSweep(metric: 'val' | 'test', denseUntil?: number): string {
  const root = mkdtempSync(join(tmpdir(), 'lnas-report-'));
  const key = metric === 'val' ? 'val_acc' : 'test_acc';
  const train = (name: string, accs: number[], sparsity: number) => {
    const dir = join(root, `train-${name}`);
    writeJsonAtomic(join(dir, 'summary.json'), {
      epochs: accs.length, parameters: 1000, nonzero_parameters: Math.round(1000 * (1 - sparsity)), dense_macs: 2e6, effective_macs: 2e6 * (1 - sparsity),
      train_seconds: 40, sparsity, history: accs.map((a, i) => ({ epoch: i + 1, [key]: a, [key === 'val_acc' ? 'test_acc' : 'val_acc']: 0.01 })),
    });
    return dir;
  };
  const search = (name: string) => {
    const dir = join(root, `search-${name}`);
    writeJsonAtomic(join(dir, 'summary.json'), { search_seconds: 100, genotype: genotypeToJSON(DARTS_V2), genotype_text: 'Genotype(...)', alpha_sparsity: 0 });
    return dir;
  };
  const sb = search('base'); const s5 = search('a05');
  const runs: SweepFile['runs'] = [
    { name: 'baseline', variant: 'baseline', sparsity: null, search: { stage: 'search-baseline', dir: sb }, train: { stage: 't0', dir: train('base', [0.4, 0.5, 0.55, 0.6], 0) } },
    // Equal to the baseline at epoch 2 (a tie wins), below it at epoch 4.
    { name: 'v1-p0.5', variant: 'v1', sparsity: 0.5, search: { stage: 'search-baseline', dir: sb }, train: { stage: 't1', dir: train('v1', [0.3, 0.5, 0.2, 0.59], 0.5) } },
    // Below at epoch 2, above at epoch 4.
    { name: 'v2-p0.5', variant: 'v2', sparsity: 0.5, search: { stage: 'search-alpha0.5', dir: s5 }, train: { stage: 't2', dir: train('v2', [0.2, 0.45, 0.7, 0.65], 0) } },
    // Not finished: blank cells, never a winner.
    { name: 'v2-p0.25', variant: 'v2', sparsity: 0.25, search: { stage: 'search-alpha0.25', dir: join(root, 'nope') }, train: { stage: 't3', dir: null } },
  ];
  const file: SweepFile = { kind: 'lnas-sweep', version: 1, hash: 'abc', epochs: 4, half: 2, metric, ...(denseUntil === undefined ? {} : { dense_until: denseUntil }), variants: ['v1', 'v2'], sparsities: [0.25, 0.5], config: {}, runs,
    stages: [{ id: 'search-baseline', kind: 'search', dir: sb, depends: [], runs: ['baseline', 'v1-p0.5'] }, { id: 'search-alpha0.5', kind: 'search', dir: s5, depends: [], runs: ['v2-p0.5'] },
      { id: 'search-alpha0.25', kind: 'search', dir: join(root, 'nope'), depends: [], runs: ['v2-p0.25'] }] };
  writeJsonAtomic(join(root, 'sweep.json'), file);
  return root;
}

test('report: winning tickets are marked against the baseline at the same epoch', () => {
  const dir = fakeSweep('val');
  const out = writeReport(dir);
  const row = (name: string) => out.rows.find((r) => r.run === name)!;
  assert.deepEqual([row('baseline').acc_half, row('baseline').acc_full], [0.5, 0.6]);
  assert.deepEqual([row('v1-p0.5').win_half, row('v1-p0.5').win_full], [true, false]);
  assert.deepEqual([row('v2-p0.5').win_half, row('v2-p0.5').win_full], [false, true]);
  assert.deepEqual([row('v2-p0.25').acc_full, row('v2-p0.25').win_full], [null, false]);
  assert.deepEqual([row('baseline').win_half, row('baseline').win_full], [false, false]);
  assert.equal(row('v1-p0.5').nonzero_parameters, 500);
  assert.deepEqual(out.rows.map((r) => r.run), ['baseline', 'v1-p0.5', 'v2-p0.25', 'v2-p0.5']);

  const md = readFileSync(join(dir, 'table1.md'), 'utf8');
  assert.match(md, /\| 1 \(weight pruning\) .*\| +\*\*50\.00\*\* \| +59\.00 \|/);
  assert.match(md, /\| 2 \(α pruning\) .*\| +45\.00 \| +\*\*70\.00\*\* \|/);
  assert.match(md, /Best val acc ≤ epoch 2/);
  assert.match(md, /held-out validation split/);
  const json = JSON.parse(readFileSync(join(dir, 'table1.json'), 'utf8')) as { run: string; win_full: boolean; acc_full: number | null }[];
  assert.deepEqual(json.filter((r) => r.win_full).map((r) => r.run), ['v2-p0.5']);
  const csv = readFileSync(join(dir, 'table1.csv'), 'utf8').split('\r\n');
  assert.match(csv[0]!, /^run,variant,sparsity,acc_half,acc_full,win_half,win_full/);
  assert.match(csv.find((l) => l.startsWith('v2-p0.5'))!, /,0\.45,0\.7,false,true,/);

  const svg = readFileSync(join(dir, 'figure1.svg'), 'utf8');
  assert.deepEqual(wellFormedErrors(svg), []);
  assert.match(svg, /Variant 1 \(weight pruning\)/);
  assert.match(svg, /Variant 2 \(α pruning\)/);
  assert.match(svg, /stroke-dasharray/, 'the baseline is dashed');
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.deepEqual(wellFormedErrors(html, { html: true }), []);
  assert.match(html, /70\.00 ★/);
  assert.ok((html.match(/<svg/g) ?? []).length >= 1 + 4, 'figure and two cells per finished search');
  assert.match(html, /Not finished yet/);
});

test('report: Variant 1 is not judged before its weights are pruned (it is the baseline network until then)', () => {
  const out = writeReport(fakeSweep('val', 2));
  const v1 = out.rows.find((r) => r.run === 'v1-p0.5')!;
  assert.equal(v1.acc_half, 0.5);
  assert.equal(v1.win_half, false);
  assert.match(out.markdown, /until its weights are pruned after epoch 2/);
  // v2 is a different (α-pruned) network from the start and is judged at every epoch.
  assert.equal(out.rows.find((r) => r.run === 'v2-p0.5')!.win_full, true);
});

test('report: without a validation split it says it uses the test set', () => {
  const dir = fakeSweep('test');
  const out = writeReport(dir);
  assert.match(out.markdown, /Best test acc ≤ epoch 4/);
  assert.match(out.markdown, /the test set/);
  assert.equal(out.rows.find((r) => r.run === 'v2-p0.5')!.win_full, true);
});

test('report: a folder that is not a sweep is a typed error', () => {
  assert.throws(() => writeReport(mkdtempSync(join(tmpdir(), 'lnas-nosweep-'))), (e: unknown) => (e as { code?: string }).code === 'LNAS_NOT_A_SWEEP');
});

test('Figure 1 over repeats: each line is the mean over the seeds with a ± std band; one seed draws no band', () => {
  const run = (name: string, variant: RunData['variant'], sparsity: number | null, accs: number[]): RunData =>
    ({ name, variant, sparsity, searchStage: 's', search: null, train: { history: accs.map((a, i) => ({ epoch: i + 1, val_acc: a })) } as unknown as RunData['train'] });
  const seed = (d: number) => [run('baseline', 'baseline', null, [0.4 + d, 0.5 + d, 0.6 + d]), run('v2-p0.5', 'v2', 0.5, [0.3 - d, 0.5, 0.7 + 2 * d])];
  const o = { metric: 'val' as const, half: 2, epochs: 3 };
  const svg = figure1Repeats([seed(0), seed(0.02), seed(0.04)], o);
  assert.deepEqual(wellFormedErrors(svg), []);
  assert.match(svg, /Figure 1\. Validation accuracy, mean ± std of 3 seeds/);
  const bands = svg.match(/fill-opacity="0\.18"/g) ?? [];
  assert.equal(bands.length, 2, 'one band per line (baseline and p = 0.5)');
  assert.match(svg, /<title>p = 0\.5: ± 1 std<\/title>/);
  // The band is drawn under the lines: every band path comes before the first line path.
  assert.ok(svg.indexOf('fill-opacity="0.18"') < svg.indexOf('stroke-linejoin="round"'));
  const single = figure1Repeats([seed(0)], o);
  assert.equal((single.match(/fill-opacity="0\.18"/g) ?? []).length, 0);
  // Mean line of one seed is that seed's curve: same drawing as the plain figure's lines.
  assert.equal((single.match(/fill="none" stroke=/g) ?? []).length, (figure1(seed(0), o).match(/fill="none" stroke=/g) ?? []).length);
});
