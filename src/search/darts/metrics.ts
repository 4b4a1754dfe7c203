// Per-epoch collapse diagnostics of a search: α entropy per cell type and the skip_connect
// count of the genotype derived right now (DARTS collapses towards all-skip cells), and α itself
// (edges × ops per cell, 6 significant digits) so a dashboard can draw it epoch by epoch.
import { alphaEntropy, countOp } from '../../spaces/darts/derive.js';
import { genotypeToJSON } from '../../spaces/darts/genotype.js';
import { formatGenotype } from '../../spaces/darts/genotype-text.js';
import type { Supernet } from '../../spaces/darts/supernet.js';

export function searchDiagnostics(net: Supernet) {
  const g = net.genotype();
  const rows = (k: 'normal' | 'reduce') => net.mask[k].map((r) => Array.from(r));
  const alpha = (k: 'normal' | 'reduce') => net.alphaValues(k).map((r) => r.map((v) => Number(v.toPrecision(6))));
  return {
    alpha_entropy_normal: alphaEntropy(net.alphaValues('normal'), rows('normal')),
    alpha_entropy_reduce: alphaEntropy(net.alphaValues('reduce'), rows('reduce')),
    skip_normal: countOp(g, 'skip_connect', 'normal'),
    skip_reduce: countOp(g, 'skip_connect', 'reduce'),
    alpha_alive: net.mask.normal.concat(net.mask.reduce).reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0),
    genotype: genotypeToJSON(g),
    genotype_text: formatGenotype(g),
    alpha_normal: alpha('normal'),
    alpha_reduce: alpha('reduce'),
    mask_normal: rows('normal'),
    mask_reduce: rows('reduce'),
  };
}
