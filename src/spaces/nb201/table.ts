// Loads and checks the NAS-Bench-201 table (one row per cell, see shared/data/README.md).
// The file is trusted only after every row parses: a truncated download or a hand-edited CSV
// must fail loudly with the file and line rather than silently bias a benchmark.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataError, ParseError } from '../../errors.js';
import { archToGenome } from './arch-string.js';
import { cellCode, NB201_CELLS, type Nb201Genome } from './ops.js';

/** Columns this project reads; any other column must still be numeric. */
const COLUMNS = {
  index: 'index',
  arch: 'arch_str',
  cifar10Valid: 'cifar10_valid_acc',
  cifar10Test: 'cifar10_test_acc',
  cifar100Test: 'cifar100_test_acc',
  imagenet16Test: 'imagenet16_test_acc',
  flopsM: 'flops_m_cifar10_analytic',
  paramsMb: 'params_mb_cifar10',
} as const;
type NumericField = Exclude<keyof typeof COLUMNS, 'arch'>;
const NUMERIC_FIELDS = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).filter((k): k is NumericField => k !== 'arch');

export type Nb201Row = { readonly [K in NumericField]: number } & { readonly code: number };

export class Nb201Table {
  /** Columns by cell code (see ops.ts `cellCode`). */
  private readonly data: { readonly [K in NumericField]: Float64Array };

  constructor(readonly path: string, data: { readonly [K in NumericField]: Float64Array }) {
    this.data = data;
  }

  row(genome: Nb201Genome): Nb201Row {
    const code = cellCode(genome);
    const r: Record<string, number> = { code };
    for (const f of NUMERIC_FIELDS) r[f] = this.data[f][code] as number;
    return r as Nb201Row;
  }

  /** A whole column by cell code, e.g. to find the optimum. */
  column(field: NumericField): Float64Array {
    return this.data[field];
  }
}

const cache = new Map<string, { stamp: string; table: Nb201Table }>();

/** Reads `path` (e.g. `<dataDir>/nasbench201/nb201_full.csv`); cached while the file is unchanged. */
export function loadNb201Table(path: string): Nb201Table {
  const abs = resolve(path);
  let stamp: string;
  try {
    const st = statSync(abs);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch (e) {
    throw new DataError('LNAS_DATA_MISSING',
      `NAS-Bench-201 table not found at ${abs}; pass the data directory that contains nasbench201/nb201_full.csv`, { path: abs, cause: e });
  }
  const hit = cache.get(abs);
  if (hit && hit.stamp === stamp) return hit.table;
  const table = parseNb201Csv(readFileSync(abs, 'utf8'), abs);
  cache.set(abs, { stamp, table });
  return table;
}

export function parseNb201Csv(text: string, path: string): Nb201Table {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const bad = (line: number, msg: string): DataError =>
    new DataError('LNAS_NB201_TABLE', `${path}:${line}: ${msg}; re-fetch nasbench201/nb201_full.csv (see shared/data/README.md)`, { path });
  const header = (lines[0] ?? '').split(',');
  const col = {} as Record<keyof typeof COLUMNS, number>;
  for (const [field, name] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const i = header.indexOf(name);
    if (i < 0) throw bad(1, `header lacks column '${name}'`);
    col[field] = i;
  }
  const data = {} as Record<NumericField, Float64Array>;
  for (const f of NUMERIC_FIELDS) data[f] = new Float64Array(NB201_CELLS).fill(NaN);
  const lineOf = new Int32Array(NB201_CELLS);
  for (let n = 1; n < lines.length; n++) {
    const line = n + 1;
    const fields = (lines[n] as string).split(',');
    if (fields.length !== header.length) {
      throw bad(line, `expected ${header.length} fields, found ${fields.length} (truncated or corrupt file?)`);
    }
    for (let i = 0; i < fields.length; i++) {
      if (i !== col.arch && !Number.isFinite(parseNumber(fields[i] as string))) {
        throw bad(line, `column '${header[i]}' is not a number: '${fields[i]}'`);
      }
    }
    let genome: Nb201Genome;
    try {
      genome = archToGenome(fields[col.arch] as string);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      throw bad(line, `bad arch_str: ${e.message}`);
    }
    const code = cellCode(genome);
    if (lineOf[code] !== 0) throw bad(line, `cell ${fields[col.arch]} already appears on line ${lineOf[code]}`);
    lineOf[code] = line;
    for (const f of NUMERIC_FIELDS) (data[f] as Float64Array)[code] = parseNumber(fields[col[f]] as string);
  }
  const rows = lines.length - 1;
  if (rows !== NB201_CELLS) {
    throw bad(lines.length, `found ${rows} cells, expected all ${NB201_CELLS.toLocaleString('en-US')} (truncated file?)`);
  }
  return new Nb201Table(path, data);
}

// Number('') is 0 and Number(' 1') is 1: reject both, as a CSV writer never produces them.
function parseNumber(s: string): number {
  return s === '' || s.trim() !== s ? NaN : Number(s);
}
