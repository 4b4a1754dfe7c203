// The DARTS search space as typed data: the candidate operations and the cell topology.
// The order of PRIMITIVES is part of the file format: it indexes the columns of every α matrix
// and mask, so it must never be reordered (append-only would still break saved α).

export const PRIMITIVES = [
  'none',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
] as const;

export type Primitive = (typeof PRIMITIVES)[number];

const PRIMITIVE_SET: ReadonlySet<string> = new Set(PRIMITIVES);

export function isPrimitive(value: unknown): value is Primitive {
  return typeof value === 'string' && PRIMITIVE_SET.has(value);
}

/** Column of `op` in an α row. */
export function primitiveIndex(op: Primitive): number {
  return PRIMITIVES.indexOf(op);
}

export const NUM_OPS = PRIMITIVES.length;
/** Cell inputs c_{k-2} and c_{k-1} are nodes 0 and 1. */
export const NUM_INPUT_NODES = 2;
/** Intermediate nodes are 2..5. */
export const NUM_INTERMEDIATE_NODES = 4;
export const NUM_NODES = NUM_INPUT_NODES + NUM_INTERMEDIATE_NODES;
/** Each intermediate node k has an edge from every earlier node: 2+3+4+5. */
export const NUM_EDGES = 14;
/** Every derived node keeps this many incoming edges (the genotype has 2 entries per node). */
export const INPUTS_PER_NODE = 2;
export const GENOTYPE_CELL_LENGTH = NUM_INTERMEDIATE_NODES * INPUTS_PER_NODE;

export const INTERMEDIATE_NODES: readonly number[] = Object.freeze(
  Array.from({ length: NUM_INTERMEDIATE_NODES }, (_, i) => i + NUM_INPUT_NODES),
);
/** DARTS concatenates all intermediate nodes to form the cell output. */
export const DEFAULT_CONCAT: readonly number[] = INTERMEDIATE_NODES;

export type CellEdge = {
  /** Row of this edge in an α matrix. */
  readonly index: number;
  /** Intermediate node the edge feeds (2..5). */
  readonly node: number;
  /** Node the edge reads from (0..node-1). */
  readonly input: number;
};

/** First α row of `node`: the rows of earlier nodes come first (node 2 starts at 0, 3 at 2, 4 at 5, 5 at 9). */
function nodeOffset(node: number): number {
  return ((node - NUM_INPUT_NODES) * (node + NUM_INPUT_NODES - 1)) / 2;
}

function assertIntermediate(node: number): void {
  if (!Number.isInteger(node) || node < NUM_INPUT_NODES || node >= NUM_NODES) {
    throw new RangeError(`node must be an integer in ${NUM_INPUT_NODES}..${NUM_NODES - 1}, got ${node}`);
  }
}

/** α row index of the edge input -> node. */
export function edgeIndex(node: number, input: number): number {
  assertIntermediate(node);
  if (!Number.isInteger(input) || input < 0 || input >= node) {
    throw new RangeError(`input of node ${node} must be an integer in 0..${node - 1}, got ${input}`);
  }
  return nodeOffset(node) + input;
}

export const CELL_EDGES: readonly CellEdge[] = Object.freeze(
  INTERMEDIATE_NODES.flatMap((node) =>
    Array.from({ length: node }, (_, input) => Object.freeze({ index: nodeOffset(node) + input, node, input })),
  ),
);

/** The edge stored in α row `index`. */
export function edgeAt(index: number): CellEdge {
  const edge = Number.isInteger(index) ? CELL_EDGES[index] : undefined;
  if (edge === undefined) throw new RangeError(`edge index must be an integer in 0..${NUM_EDGES - 1}, got ${index}`);
  return edge;
}

/** Incoming edges of an intermediate node, in input order. */
export function edgesOfNode(node: number): readonly CellEdge[] {
  assertIntermediate(node);
  return CELL_EDGES.slice(nodeOffset(node), nodeOffset(node) + node);
}

/** Intermediate node that genotype entry `slot` (0..7) belongs to. */
export function nodeOfSlot(slot: number): number {
  return NUM_INPUT_NODES + Math.floor(slot / INPUTS_PER_NODE);
}
