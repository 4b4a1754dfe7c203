// LNAS Variant 2 (Algorithm 2): path-level pruning of the architecture weights during search.
// After each of n rounds the lowest-magnitude surviving α entries are masked so that after round r
// a fraction 1 − (1 − p)^{r/n} of all α entries is pruned (exactly p after n rounds): the targets
// of weight pruning's schedule (schedule.ts), applied to α. The magnitude of an entry is its
// softmax weight on its edge, i.e. the op's share of the edge's output: raw α logits are not
// comparable across edges. A pruned op leaves the softmax and is not computed. The last surviving
// input path (an op other than `none`) of an intermediate node is never pruned.
//
// The pruner knows a space only through AlphaSearchNet: its α cells, which node each α row (edge)
// feeds, and which column, if any, is `none`.
import { type PruningSchedule, checkSchedule, keptAfterRound, pruneEpochs } from './schedule.js';

/** An α mask: per cell, a row per edge and an entry per op; 1 = alive (computed), 0 = pruned. */
export type AlphaMask = Readonly<Record<string, readonly Uint8Array[]>>;

/** What the pruner needs of a supernet. */
export interface AlphaSearchNet {
  /** The α cells (e.g. normal and reduce) with their layout: α row e feeds node edgeNode[e]; column `noneOp` is `none` (null: no such op). */
  readonly alphaLayout: { readonly cells: readonly string[]; readonly edgeNode: readonly number[]; readonly ops: number; readonly noneOp: number | null };
  readonly mask: AlphaMask;
  alphaValues(cell: string): number[][];
  setMask(cell: string, rows: readonly ArrayLike<number>[]): void;
}

/** The mask as plain numbers (checkpoints, alpha.json). */
export const maskRows = (m: readonly Uint8Array[]): number[][] => m.map((r) => Array.from(r));

const entries = (net: AlphaSearchNet) => net.alphaLayout.cells.length * net.alphaLayout.edgeNode.length * net.alphaLayout.ops;

export function countPruned(net: AlphaSearchNet): number {
  return net.alphaLayout.cells.reduce((s, k) => s + (net.mask[k] ?? []).reduce((t, row) => t + row.filter((v) => !v).length, 0), 0);
}

/**
 * Rounds spread evenly over the search's epochs, the last after the final epoch: round r (1-based)
 * runs after epoch ceil(r·E/n) − 1 (0-based), i.e. at the start of epoch ceil(r·E/n).
 */
export function alphaSchedule(sparsity: number, rounds: number, epochs: number): PruningSchedule {
  return { kind: 'spread', sparsity, rounds, epochs };
}

/** The round bookkeeping both α pruners share (this space's and NB201's): when rounds fall, and their absolute targets. */
export class AlphaRounds {
  protected roundsDone = 0;
  readonly schedule: PruningSchedule;

  constructor(readonly sparsity: number, readonly rounds: number, readonly epochs: number) {
    this.schedule = alphaSchedule(sparsity, rounds, epochs);
    if (sparsity > 0) checkSchedule(this.schedule);
  }

  get enabled(): boolean { return this.sparsity > 0; }

  /** Epoch indices (0-based) after which a round runs. */
  roundEpochs(): number[] { return pruneEpochs(this.schedule).map((e) => e - 1); }

  /** Target number of pruned entries out of `total` after `round` rounds. */
  targetPruned(total: number, round: number): number { return total - keptAfterRound(this.schedule, total, round); }

  /** Runs `pruneTo(target)` for each round due after `epoch` (none while disabled); returns how many entries were pruned now. */
  protected runRounds(epoch: number, total: number, pruneTo: (target: number) => number): number {
    if (!this.enabled) return 0;
    let pruned = 0;
    const due = this.roundEpochs().filter((e) => e === epoch).length;
    for (let i = 0; i < due; i++) {
      this.roundsDone++;
      pruned += pruneTo(this.targetPruned(total, this.roundsDone));
    }
    return pruned;
  }
}

export class AlphaPruner extends AlphaRounds {
  /** Runs the rounds due after `epoch`; returns how many entries were pruned now. */
  afterEpoch(net: AlphaSearchNet, epoch: number): number {
    return this.runRounds(epoch, entries(net), (target) => pruneTo(net, target));
  }

  /** Fraction of α entries pruned right now. */
  achieved(net: AlphaSearchNet): number { return countPruned(net) / entries(net); }

  state(net: AlphaSearchNet): unknown {
    return { roundsDone: this.roundsDone, ...Object.fromEntries(net.alphaLayout.cells.map((k) => [k, maskRows(net.mask[k] ?? [])])) };
  }

  restore(net: AlphaSearchNet, s: unknown): void {
    const st = s as ({ roundsDone: number } & Record<string, number[][]>) | undefined;
    if (!st) return;
    this.roundsDone = st.roundsDone;
    for (const k of net.alphaLayout.cells) net.setMask(k, st[k] as number[][]);
  }
}

/** Surviving ops other than `none` on the edges into `node`. */
function livePaths(net: AlphaSearchNet, mask: readonly Uint8Array[], node: number): number {
  const { edgeNode, noneOp } = net.alphaLayout;
  let n = 0;
  edgeNode.forEach((to, e) => {
    if (to !== node) return;
    (mask[e] as Uint8Array).forEach((alive, op) => { if (op !== noneOp) n += alive; });
  });
  return n;
}

/** Masks the weakest surviving entries until `target` entries are pruned in total; returns how many now. */
export function pruneTo(net: AlphaSearchNet, target: number): number {
  const { cells, edgeNode, noneOp } = net.alphaLayout;
  const masks: Record<string, Uint8Array[]> = Object.fromEntries(cells.map((k) => [k, (net.mask[k] ?? []).map((r) => Uint8Array.from(r))]));
  const candidates: { cell: string; edge: number; op: number; weight: number }[] = [];
  for (const cell of cells) {
    const alpha = net.alphaValues(cell);
    (masks[cell] as Uint8Array[]).forEach((row, e) => {
      const logits = (alpha[e] as number[]).map((a, i) => (row[i] ? a : -Infinity));
      const max = Math.max(...logits);
      const z = logits.reduce((s, a) => s + (a === -Infinity ? 0 : Math.exp(a - max)), 0);
      row.forEach((alive, op) => { if (alive) candidates.push({ cell, edge: e, op, weight: Math.exp((logits[op] as number) - max) / z }); });
    });
  }
  candidates.sort((a, b) => a.weight - b.weight || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0) || a.edge - b.edge || a.op - b.op);
  let pruned = entries(net) - candidates.length;
  let now = 0;
  for (const c of candidates) {
    if (pruned >= target) break;
    const mask = masks[c.cell] as Uint8Array[];
    if (c.op !== noneOp && livePaths(net, mask, edgeNode[c.edge] as number) <= 1) continue;
    (mask[c.edge] as Uint8Array)[c.op] = 0;
    pruned++; now++;
  }
  for (const cell of cells) net.setMask(cell, masks[cell] as Uint8Array[]);
  return now;
}
