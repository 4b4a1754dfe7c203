// LNAS Variant 2 on the NAS-Bench-201 cell: path-level α pruning with the DARTS pruner's
// schedule (alpha.ts and schedule.ts: after round r of n, a fraction 1 − (1 − p)^{r/n} of the 30 α entries is masked,
// weakest softmax share first), with its rules adapted to this space's argmax derivation:
// - any op may be pruned, `none` included, and an edge may lose all its ops (it is then `none`):
//   the benchmark has no fixed in-degree, so a dead edge is a legal cell, and p = 0.9 (3 of 30
//   entries left) is reachable;
// - a node's live input is an incoming edge whose argmax over its surviving ops is not `none`
//   (in DARTS' space `none` can never be derived, so there a surviving non-`none` op was enough).
//   Each round first gives every node without a live input one, by pruning `none` on the incoming
//   edge whose best other op is strongest (the argmax-derivation form of DARTS' "the last input
//   path of a node is kept"), then prunes weakest-first, skipping an entry whose pruning would
//   leave a node without a live input. So the cell derived right after a round always connects
//   the input to the output; α keeps moving between rounds, so a later argmax can still
//   disconnect it (metrics.jsonl reports `connected`).
import { NB201_EDGES } from '../spaces/nb201/ops.js';
import { deriveNb201Cell, NB201_NUM_EDGES, NB201_NUM_OPS, type Nb201Supernet } from '../spaces/nb201/supernet.js';
import { AlphaRounds } from './alpha.js';

const TOTAL = NB201_NUM_EDGES * NB201_NUM_OPS;

export class Nb201AlphaPruner extends AlphaRounds {
  /** Runs the rounds due after `epoch` (counted from the first α epoch); returns how many entries were pruned now. */
  afterEpoch(net: Nb201Supernet, epoch: number): number {
    return this.runRounds(epoch, TOTAL, (target) => nb201PruneTo(net, target));
  }

  achieved(net: Nb201Supernet): number {
    return countPruned(net.mask) / TOTAL;
  }

  state(net: Nb201Supernet): { roundsDone: number; mask: number[][] } {
    return { roundsDone: this.roundsDone, mask: net.mask.map((r) => Array.from(r)) };
  }

  restore(net: Nb201Supernet, s: unknown): void {
    const st = s as { roundsDone: number; mask: number[][] } | undefined;
    if (!st) return;
    this.roundsDone = st.roundsDone;
    net.setMask(st.mask);
  }
}

/** Nodes 0..3: does the node have an incoming edge whose derived op is not `none` (node 0 always)? */
function liveNodes(alpha: readonly (readonly number[])[], mask: readonly ArrayLike<number>[]): boolean[] {
  const cell = deriveNb201Cell(alpha, mask);
  const live = [true, false, false, false];
  NB201_EDGES.forEach((e, i) => { if (cell[i] !== 'none') live[e.to] = true; });
  return live;
}

/** Every node 1..3 has an incoming edge whose derived op is not `none`. */
export function everyNodeLive(alpha: readonly (readonly number[])[], mask: readonly ArrayLike<number>[]): boolean {
  return liveNodes(alpha, mask).every(Boolean);
}

/** Prunes `none` where a node has no live input (on its edge with the strongest other op); returns how many. */
function reviveNodes(alpha: readonly (readonly number[])[], mask: Uint8Array[]): number {
  let pruned = 0;
  liveNodes(alpha, mask).forEach((live, node) => {
    if (live) return;
    let best: { edge: number; value: number } | null = null;
    NB201_EDGES.forEach((e, i) => {
      if (e.to !== node || !(mask[i] as Uint8Array)[0]) return;
      for (let op = 1; op < NB201_NUM_OPS; op++) {
        const v = (alpha[i] as number[])[op] as number;
        if ((mask[i] as Uint8Array)[op] && (best === null || v > best.value)) best = { edge: i, value: v };
      }
    });
    if (best === null) return; // no other op left on any incoming edge: nothing can revive it
    (mask[(best as { edge: number }).edge] as Uint8Array)[0] = 0;
    pruned++;
  });
  return pruned;
}

/** Masks the weakest surviving entries until `target` are pruned in total; returns how many now. */
export function nb201PruneTo(net: Nb201Supernet, target: number): number {
  const mask = net.mask.map((r) => Uint8Array.from(r));
  const alpha = net.alphaValues();
  let now = countPruned(mask) < target ? reviveNodes(alpha, mask) : 0;
  const candidates: { edge: number; op: number; weight: number }[] = [];
  mask.forEach((row, e) => {
    const logits = (alpha[e] as number[]).map((a, i) => (row[i] ? a : -Infinity));
    const max = Math.max(...logits);
    const z = logits.reduce((s, a) => s + (a === -Infinity ? 0 : Math.exp(a - max)), 0);
    row.forEach((alive, op) => { if (alive) candidates.push({ edge: e, op, weight: Math.exp((logits[op] as number) - max) / z }); });
  });
  candidates.sort((a, b) => a.weight - b.weight || a.edge - b.edge || a.op - b.op);
  let pruned = TOTAL - candidates.length;
  for (const c of candidates) {
    if (pruned >= target) break;
    const row = mask[c.edge] as Uint8Array;
    const before = liveNodes(alpha, mask);
    row[c.op] = 0;
    if (liveNodes(alpha, mask).some((live, node) => before[node] && !live)) { row[c.op] = 1; continue; }
    pruned++; now++;
  }
  net.setMask(mask);
  return now;
}

function countPruned(mask: readonly Uint8Array[]): number {
  return mask.reduce((s, r) => s + r.filter((v) => !v).length, 0);
}
