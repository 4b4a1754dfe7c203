// Variant 2 (LNAS Algorithm 2): path-level pruning of the architecture weights during search.
// After each of n rounds the lowest-magnitude surviving α entries are masked so that after
// round r a fraction 1 − (1 − p)^{r/n} of all α entries is pruned (exactly p after n rounds).
// The magnitude of an entry is its softmax weight on its edge, i.e. the op's share of the
// edge's output: raw α logits are not comparable across edges. A pruned op leaves the softmax
// and is not computed. The last surviving input path (non-`none` op) of an intermediate node
// is never pruned.
import type { CellKind } from '../../spaces/darts/genotype.js';
import { CELL_EDGES, NUM_EDGES, NUM_OPS } from '../../spaces/darts/primitives.js';
import type { Supernet } from '../../spaces/darts/supernet.js';

const KINDS: readonly CellKind[] = ['normal', 'reduce'];
const TOTAL = KINDS.length * NUM_EDGES * NUM_OPS;
const NONE = 0;

export class AlphaPruner {
  private roundsDone = 0;

  constructor(readonly sparsity: number, readonly rounds: number, readonly epochs: number) {}

  get enabled(): boolean { return this.sparsity > 0; }

  /** Epoch indices (0-based) after which a round runs: spread evenly, the last at the end. */
  roundEpochs(): number[] {
    return Array.from({ length: this.rounds }, (_, r) => Math.max(0, Math.ceil(((r + 1) * this.epochs) / this.rounds) - 1));
  }

  /** Target number of pruned entries after `round` rounds. */
  targetPruned(round: number): number {
    return TOTAL - Math.round(TOTAL * (1 - this.sparsity) ** (round / this.rounds));
  }

  /** Runs the rounds due after `epoch`; returns how many entries were pruned now. */
  afterEpoch(net: Supernet, epoch: number): number {
    if (!this.enabled) return 0;
    let pruned = 0;
    const due = this.roundEpochs().filter((e) => e === epoch).length;
    for (let i = 0; i < due; i++) {
      this.roundsDone++;
      pruned += pruneTo(net, this.targetPruned(this.roundsDone));
    }
    return pruned;
  }

  /** Fraction of α entries pruned right now. */
  achieved(net: Supernet): number { return countPruned(net) / TOTAL; }

  state(net: Supernet): unknown {
    return { roundsDone: this.roundsDone, normal: net.mask.normal.map((r) => Array.from(r)), reduce: net.mask.reduce.map((r) => Array.from(r)) };
  }

  restore(net: Supernet, s: unknown): void {
    const st = s as { roundsDone: number; normal: number[][]; reduce: number[][] } | undefined;
    if (!st) return;
    this.roundsDone = st.roundsDone;
    net.setMask('normal', st.normal);
    net.setMask('reduce', st.reduce);
  }
}

function countPruned(net: Supernet): number {
  return KINDS.reduce((s, k) => s + net.mask[k].reduce((t, row) => t + row.filter((v) => !v).length, 0), 0);
}

/** Surviving non-`none` ops on the edges into `node`. */
function livePaths(mask: Uint8Array[], node: number): number {
  let n = 0;
  for (const edge of CELL_EDGES) {
    if (edge.node !== node) continue;
    const row = mask[edge.index] as Uint8Array;
    for (let i = 1; i < NUM_OPS; i++) n += row[i] as number;
  }
  return n;
}

/** Masks the weakest surviving entries until `target` entries are pruned in total. */
export function pruneTo(net: Supernet, target: number): number {
  const masks = { normal: net.mask.normal.map((r) => Uint8Array.from(r)), reduce: net.mask.reduce.map((r) => Uint8Array.from(r)) };
  const candidates: { kind: CellKind; edge: number; op: number; weight: number }[] = [];
  for (const kind of KINDS) {
    const alpha = net.alphaValues(kind);
    masks[kind].forEach((row, e) => {
      const logits = (alpha[e] as number[]).map((a, i) => (row[i] ? a : -Infinity));
      const max = Math.max(...logits);
      const z = logits.reduce((s, a) => s + (a === -Infinity ? 0 : Math.exp(a - max)), 0);
      row.forEach((alive, op) => { if (alive) candidates.push({ kind, edge: e, op, weight: Math.exp((logits[op] as number) - max) / z }); });
    });
  }
  candidates.sort((a, b) => a.weight - b.weight || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || a.edge - b.edge || a.op - b.op);
  let pruned = TOTAL - candidates.length;
  let now = 0;
  for (const c of candidates) {
    if (pruned >= target) break;
    const mask = masks[c.kind];
    const node = CELL_EDGES[c.edge]?.node as number;
    if (c.op !== NONE && livePaths(mask, node) <= 1) continue;
    (mask[c.edge] as Uint8Array)[c.op] = 0;
    pruned++; now++;
  }
  net.setMask('normal', masks.normal);
  net.setMask('reduce', masks.reduce);
  return now;
}
