// NAS-Bench-201 arch strings, e.g.
//   |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|
// one '|'-delimited group per node 1..3 joined by '+', each listing `op~input` for inputs 0..i-1
// in order. Only this canonical form is accepted, so string equality is cell equality.

import { ParseError } from '../../errors.js';
import { cellToGenome, genomeToCell, isNb201Op, NB201_NODES, NB201_OPS, type Nb201Cell, type Nb201Genome, type Nb201Op } from './ops.js';

export function formatArch(cell: Nb201Cell): string {
  const groups: string[] = [];
  let k = 0;
  for (let node = 1; node < NB201_NODES; node++) {
    const parts: string[] = [];
    for (let input = 0; input < node; input++) parts.push(`${cell[k++]}~${input}`);
    groups.push(`|${parts.join('|')}|`);
  }
  return groups.join('+');
}

export function parseArch(source: string): Nb201Cell {
  const cell: Nb201Op[] = [];
  let pos = 0;
  const fail = (msg: string, at = pos): never => { throw new ParseError(`NAS-Bench-201 arch string: ${msg}`, at, source); };
  const expect = (ch: string): void => {
    if (source[pos] !== ch) fail(`expected '${ch}'${pos < source.length ? `, found '${source[pos]}'` : ' but the string ended'}`);
    pos++;
  };
  for (let node = 1; node < NB201_NODES; node++) {
    if (node > 1) expect('+');
    expect('|');
    for (let input = 0; input < node; input++) {
      const start = pos;
      while (pos < source.length && /[a-z0-9_]/.test(source[pos] as string)) pos++;
      const op = source.slice(start, pos);
      if (!isNb201Op(op)) fail(`unknown operation '${op}'; expected one of ${NB201_OPS.join(', ')}`, start);
      cell.push(op as Nb201Op);
      expect('~');
      const digitAt = pos;
      while (pos < source.length && /[0-9]/.test(source[pos] as string)) pos++;
      const from = source.slice(digitAt, pos);
      if (from !== String(input)) fail(`node ${node} must list input ~${input} here${from === '' ? '' : `, found ~${from}`}`, digitAt);
      expect('|');
    }
  }
  if (pos !== source.length) fail(`unexpected '${source[pos]}' after the last node (a cell has ${NB201_NODES - 1} node groups)`);
  return cell;
}

export function archToGenome(source: string): Nb201Genome {
  return cellToGenome(parseArch(source));
}

export function genomeToArch(genome: Nb201Genome): string {
  return formatArch(genomeToCell(genome));
}
