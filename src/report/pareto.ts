// Pareto front of a two-objective trade-off, e.g. accuracy (higher is better) against
// parameter count or latency (lower is better), as reported for multi-objective NAS.

export interface ParetoOptions {
  /** Larger y is better (default true). */
  maximizeY?: boolean;
  /** Smaller x is better (default true). */
  minimizeX?: boolean;
}

/**
 * The non-dominated points: those for which no other point is at least as good in both
 * objectives and strictly better in one. Exact duplicates of a front point are all kept
 * (none dominates the others). Points with a non-finite coordinate are ignored.
 * Returns the original objects, sorted by x ascending. O(n log n).
 */
export function paretoFront<T extends { readonly x: number; readonly y: number }>(
  points: readonly T[],
  o: ParetoOptions = {},
): T[] {
  const sx = o.minimizeX === false ? -1 : 1; // after this, smaller x' is better
  const sy = o.maximizeY === false ? -1 : 1; // and larger y' is better
  const cand = points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .map((p) => ({ p, x: sx * p.x, y: sy * p.y }))
    // Best x first; for equal x, best y first, so the first of an x-tie dominates the rest.
    .sort((a, b) => a.x - b.x || b.y - a.y);
  const front: T[] = [];
  let bestY = -Infinity;
  let bestX = NaN;
  for (const c of cand) {
    // Everything earlier has x' <= c.x, so c survives only by beating their best y',
    // or by being an exact copy of the point that set it.
    if (c.y > bestY) {
      bestY = c.y;
      bestX = c.x;
      front.push(c.p);
    } else if (c.y === bestY && c.x === bestX) {
      front.push(c.p);
    }
  }
  return front.sort((a, b) => a.x - b.x);
}
