export { NB201_OPS, NB201_EDGES, NB201_CELLS, cellCode, codeToGenome, cellToGenome, genomeToCell, type Nb201Op, type Nb201EdgeLabel, type Nb201Genome, type Nb201Cell } from './ops.js';
export { parseArch, formatArch, archToGenome, genomeToArch } from './arch-string.js';
export { loadNb201Table, parseNb201Csv, Nb201Table, type Nb201Row } from './table.js';
export { nb201Space, nb201Evaluator, type Nb201Eval } from './space.js';
export { loadNb201Latency, Nb201Latency } from './latency.js';
