// The standalone HTML page of a sweep: Table 1, Figure 1, the normal and reduction cells of
// every derived architecture, and the stages with their state and timing.
import { cellToSvg } from '../../spaces/darts/cell-svg.js';
import { escapeHtml } from '../../util/escape.js';
import { fmt } from '../format.js';
import { htmlPage, type Section } from '../html.js';
import type { Table } from '../table.js';
import { genotypeFromJSON } from '../../spaces/darts/genotype.js';
import type { LoadedSweep } from './load.js';
import { VARIANT_LABEL } from './table1.js';

function architectures(s: LoadedSweep): Section[] {
  const out: Section[] = [];
  for (const stage of s.file.stages.filter((x) => x.kind === 'search')) {
    const runs = s.runs.filter((r) => r.searchStage === stage.id);
    const search = runs.find((r) => r.search)?.search;
    const alpha = runs.find((r) => r.variant !== 'baseline' && r.variant !== 'v1')?.sparsity ?? null;
    const heading = alpha === null ? 'Baseline search (DARTS)' : `Search with α sparsity ${alpha}`;
    const used = `Used by: ${runs.map((r) => (r.sparsity === null ? 'baseline' : `${VARIANT_LABEL[r.variant]} at p = ${r.sparsity}`)).join('; ')}.`;
    if (!search) {
      out.push({ heading, markdownParagraph: `${used}\n\nNot finished yet (\`${stage.dir ?? ''}\`).` });
      continue;
    }
    let svgs: string[] = [];
    try {
      const g = genotypeFromJSON(search.genotype);
      svgs = [cellToSvg(g, 'normal'), cellToSvg(g, 'reduce')];
    } catch { /* a hand-edited summary: show the text only */ }
    out.push({
      heading, svg: svgs,
      markdownParagraph: `${used} Search time ${search.search_seconds.toFixed(0)} s; α pruned: ${(100 * search.alpha_sparsity).toFixed(1)}%. Folder: \`${stage.dir ?? ''}\`.`,
      html: `<pre><code>${escapeHtml(search.genotype_text)}</code></pre>`,
    });
  }
  return out;
}

function stagesTable(s: LoadedSweep): Table {
  const rows = s.file.stages.map((st) => {
    const p = s.progress?.stages[st.id];
    return { id: st.id, kind: st.kind, status: p?.status ?? 'pending', launches: p?.launches ?? 0, seconds: p?.seconds ?? null, runs: st.runs.join(', '), dir: st.dir ?? '' };
  });
  return {
    columns: [
      { key: 'id', title: 'Stage' }, { key: 'kind', title: 'Kind' }, { key: 'status', title: 'Status' },
      { key: 'launches', title: 'Worker launches', align: 'right' }, { key: 'seconds', title: 'Seconds', format: fmt.fixed(0), align: 'right' },
      { key: 'runs', title: 'Runs' }, { key: 'dir', title: 'Folder' },
    ],
    rows,
  };
}

export function reportPage(s: LoadedSweep, o: { table: Table; caption: string; figure: string }): string {
  const f = s.file;
  const done = s.runs.filter((r) => r.train).length;
  return htmlPage({
    title: `LNAS sweep ${f.hash}`,
    subtitle: `${f.variants.join(', ')} at sparsities ${f.sparsities.join(', ')}; ${done} of ${s.runs.length} runs finished; ${s.dir}`,
    sections: [
      { heading: 'Table 1', table: o.table, tableCaption: o.caption },
      { heading: 'Figure 1', svg: o.figure,
        caption: `Accuracy on the ${f.metric === 'val' ? 'held-out validation split' : 'test set'} per retraining epoch; the baseline is dashed. Variant 1 and Algorithm 3 prune weights and rewind to θ0 (one-shot: after epoch ${f.half}).` },
      { heading: 'Derived architectures', markdownParagraph: 'Normal and reduction cells of every search of the sweep.', sections: architectures(s) },
      { heading: 'Stages', markdownParagraph: 'Each stage runs once; runs that share a stage share its folder.', table: stagesTable(s) },
      { heading: 'Configuration', html: `<pre><code>${escapeHtml(JSON.stringify(f.config, null, 2))}</code></pre>` },
    ],
  });
}
