// "Did you mean": the closest known name to a mistyped one, by edit distance (insertions,
// deletions, substitutions and swaps of neighbours each cost 1), when it is close enough to be
// a typo rather than another word.

/** Optimal-string-alignment distance between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((d[i - 1] as number[])[j]! + 1, (d[i] as number[])[j - 1]! + 1, (d[i - 1] as number[])[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (d[i - 2] as number[])[j - 2]! + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known name closest to `typed`, if within max(1, a third of its length) edits; ties go to the first. */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  if (typed.length > 64) return undefined;
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = editDistance(typed.toLowerCase(), k.toLowerCase());
    if (dist < bestD) { best = k; bestD = dist; }
  }
  return bestD <= limit ? best : undefined;
}

/** " (did you mean X?)" or "". */
export const didYouMean = (typed: string, known: Iterable<string>, prefix = ''): string => {
  const c = closest(typed, known);
  return c === undefined ? '' : `; did you mean ${prefix}${c}?`;
};
