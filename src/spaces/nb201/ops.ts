// The NAS-Bench-201 cell as typed data: 4 nodes, an edge j -> i for every j < i (6 edges), and
// one of 5 operations on each edge: 5^6 = 15,625 cells.

/** In the benchmark's own order; the index of an op is its digit in a cell code. */
export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

/** Edges in arch-string order: node 1 <- 0; node 2 <- 0, 1; node 3 <- 0, 1, 2. */
export const NB201_EDGES = [
  { label: 'edge_1_0', to: 1, from: 0 },
  { label: 'edge_2_0', to: 2, from: 0 },
  { label: 'edge_2_1', to: 2, from: 1 },
  { label: 'edge_3_0', to: 3, from: 0 },
  { label: 'edge_3_1', to: 3, from: 1 },
  { label: 'edge_3_2', to: 3, from: 2 },
] as const;
export type Nb201EdgeLabel = (typeof NB201_EDGES)[number]['label'];

export const NB201_NODES = 4;
export const NB201_CELLS = NB201_OPS.length ** NB201_EDGES.length; // 15,625

/** A cell as a genome: one op per labelled edge. */
export type Nb201Genome = { readonly [K in Nb201EdgeLabel]: Nb201Op };

/** Ops in edge order. */
export type Nb201Cell = readonly Nb201Op[];

export function isNb201Op(s: string): s is Nb201Op {
  return (NB201_OPS as readonly string[]).includes(s);
}

export function cellToGenome(cell: Nb201Cell): Nb201Genome {
  const g: Record<string, Nb201Op> = {};
  NB201_EDGES.forEach((e, i) => { g[e.label] = cell[i] as Nb201Op; });
  return g as Nb201Genome;
}

export function genomeToCell(g: Nb201Genome): Nb201Cell {
  return NB201_EDGES.map((e) => g[e.label]);
}

/** Dense id in [0, 15625): op indices as base-5 digits, first edge most significant. */
export function cellCode(g: Nb201Genome): number {
  let code = 0;
  for (const e of NB201_EDGES) code = code * NB201_OPS.length + NB201_OPS.indexOf(g[e.label]);
  return code;
}

export function codeToGenome(code: number): Nb201Genome {
  const cell: Nb201Op[] = [];
  for (let i = NB201_EDGES.length - 1, c = code; i >= 0; i--, c = Math.floor(c / NB201_OPS.length)) {
    cell[i] = NB201_OPS[c % NB201_OPS.length] as Nb201Op;
  }
  return cellToGenome(cell);
}
