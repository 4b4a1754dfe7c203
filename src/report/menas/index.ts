// `lnas report <evolve folder>`: the MENAS figures (SVG), one HTML page, report.md and
// report.json, written into the evolve folder. Works on a run that is still going.
import { existsSync } from 'node:fs';
import { evolvePaths } from '../../search/menas/files.js';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs.js';
import { escapeHtml } from '../../util/escape.js';
import { htmlPage } from '../html.js';
import { toMarkdown } from '../table.js';
import { accuracyParamsFigure, comparisonFigure, epochTimeFigure, figure4, paretoFigure, paretoLatencyFigure } from './figures.js';
import { type LoadedEvolve, loadEvolve } from './load.js';
import { bnEffectRow, comparisonRows, comparisonTable, generationTable, retrainTable } from './tables.js';

export { loadEvolve, type LoadedEvolve } from './load.js';

export interface MenasReport { files: string[]; markdown: string }

function bestText(e: LoadedEvolve): string {
  const b = e.summary.best;
  if (!b) return 'No candidate finished yet.';
  const stages = b.ticket_blocks.map((s, i) => `stage ${i + 1}: ${s.join(' ')}`).join('\n');
  return `candidate #${b.id} (generation ${b.generation}): ticket ${(100 * b.ticket_acc).toFixed(2)}% validation accuracy, ` +
    `${b.ticket_params} parameters, ${b.ticket_mmacs.toFixed(1)} MMACs (trained network: ${(100 * b.val_acc).toFixed(2)}%, ${b.params} parameters, ${b.mmacs.toFixed(1)} MMACs)\n${stages}`;
}

export function writeMenasReport(dir: string, compare?: string | null): MenasReport {
  const e = loadEvolve(dir, compare);
  const p = evolvePaths(dir);
  const figures: Record<string, string> = {
    'epoch-time': epochTimeFigure(e), 'accuracy-params': accuracyParamsFigure(e), pareto: paretoFigure(e),
    ...(e.compare ? { comparison: comparisonFigure(e) } : {}),
    ...(e.candidates.some((c) => c.ticket_latency_ms !== undefined) ? { 'pareto-latency': paretoLatencyFigure(e) } : {}),
    ...(e.figure4.some((f) => f.summary) ? { figure4: figure4(e) } : {}),
  };
  const files: string[] = [];
  for (const [name, svg] of Object.entries(figures)) { writeFileAtomic(p.figure(name), svg); files.push(p.figure(name)); }
  const gens = generationTable(e);
  const cmp = comparisonRows(e);
  const bn = bnEffectRow(e.candidates);
  const retrains = retrainTable(e);
  const s = e.summary;
  const p2 = (v: number) => `${(100 * v).toFixed(2)}%`;
  const bnLine = `BatchNorm re-calibration (EagleEye): over ${bn.n} tickets, mean validation accuracy ${p2(bn.inherited)} with the statistics inherited ` +
    `from the trained network, ${p2(bn.recalibrated)} re-calibrated; the unpruned candidates score ${p2(bn.unpruned)} with their own statistics, ${p2(bn.unpruned_recalibrated)} re-calibrated.`;
  const markdown = [
    `# MENAS ${s.strategy} run ${s.hash} (${s.status})`, '',
    `${s.evaluations} of ${s.budget} candidates trained; ${s.workers} workers × ${s.threads} threads.`, '',
    '## Per generation', '', toMarkdown(gens), '',
    '## Best architecture (its lottery ticket)', '', '```', bestText(e), '```', '',
    '## Comparison with random search', '', toMarkdown(comparisonTable(cmp)), '',
    '## Retrainings', '', toMarkdown(retrains), '', bnLine, '',
  ].join('\n');
  writeFileAtomic(p.report, markdown);
  files.push(p.report);
  writeJsonAtomic(p.reportJson, { per_generation: s.per_generation, best: s.best, comparison: cmp, bn_effect: bn, retrainings: retrains.rows });
  files.push(p.reportJson);
  const svg = (name: string) => figures[name] ?? '';
  writeFileAtomic(p.html, htmlPage({
    title: `MENAS ${s.strategy} ${s.hash}`,
    subtitle: `${s.evaluations} of ${s.budget} candidates trained (${s.status}); ${dir}`,
    sections: [
      { heading: 'Per generation', table: gens, svg: [svg('epoch-time'), svg('accuracy-params')],
        caption: 'Each trained candidate is replaced by its lottery ticket; the tickets are the next parents, so models (and epochs) should shrink.' },
      { heading: 'Pareto front', svg: figures['pareto-latency'] ? [svg('pareto'), svg('pareto-latency')] : svg('pareto'),
        caption: 'Every ticket; the black staircase joins the non-dominated ones (fewer MMACs, or lower measured latency, and higher accuracy).' },
      { heading: 'Best architecture', html: `<pre><code>${escapeHtml(bestText(e))}</code></pre>` },
      { heading: 'Comparison with random search', table: comparisonTable(cmp), ...(figures['comparison'] ? { svg: svg('comparison') } : {}),
        markdownParagraph: e.compare ? 'Both searches trained the same number of candidates under the same FLOPs budget.' : 'No random-search run to compare with: run `lnas evolve --compare-random`, or `lnas report <evolve> <random evolve>`.' },
      { heading: 'Retrainings (final architecture, Fig. 4(c))', table: retrains, ...(figures['figure4'] ? { svg: svg('figure4') } : {}) },
      { heading: 'BatchNorm re-calibration', markdownParagraph: bnLine },
    ],
  }));
  files.push(p.html);
  return { files: files.filter((f) => existsSync(f)), markdown };
}
