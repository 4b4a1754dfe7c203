// A derived DARTS architecture: per cell type, 2 (op, input) pairs per intermediate node in node
// order, plus the nodes concatenated into the cell output. Everything that enters from outside
// (JSON, text, hand-written objects) goes through validateGenotype so downstream code can trust it.

import { ConfigError, ParseError } from '../../errors.js';
import { MAX_JSON_DEPTH, jsonErrorPosition, jsonNestingPosition } from './genotype-json.js';
import {
  GENOTYPE_CELL_LENGTH,
  INTERMEDIATE_NODES,
  NUM_INPUT_NODES,
  NUM_NODES,
  PRIMITIVES,
  isPrimitive,
  nodeOfSlot,
  type Primitive,
} from './primitives.js';

export type GenotypeEdge = readonly [op: Primitive, input: number];
export type CellKind = 'normal' | 'reduce';
export const CELL_KINDS: readonly CellKind[] = ['normal', 'reduce'];

export type Genotype = {
  readonly normal: readonly GenotypeEdge[];
  readonly normalConcat: readonly number[];
  readonly reduce: readonly GenotypeEdge[];
  readonly reduceConcat: readonly number[];
};

/** The DARTS (genotypes.py) spelling, used for files. */
export type GenotypeJSON = {
  normal: [string, number][];
  normal_concat: number[];
  reduce: [string, number][];
  reduce_concat: number[];
};

export function cellOps(g: Genotype, cell: CellKind): readonly GenotypeEdge[] {
  return cell === 'normal' ? g.normal : g.reduce;
}

export function cellConcat(g: Genotype, cell: CellKind): readonly number[] {
  return cell === 'normal' ? g.normalConcat : g.reduceConcat;
}

// The problem checks return a message instead of throwing so the text parser can attach a source
// position while plain-object validation attaches a path.

/** Why `op` cannot appear in a genotype, or undefined if it can. */
export function opProblem(op: unknown): string | undefined {
  if (op === 'none') {
    return `op 'none' cannot appear in a derived genotype (it means "no edge"); choose another op or input`;
  }
  if (!isPrimitive(op)) {
    const shown = typeof op === 'string' ? `'${op}'` : String(op);
    return `unknown op ${shown}; expected one of ${PRIMITIVES.filter((p) => p !== 'none').join(', ')}`;
  }
  return undefined;
}

/** Why `input` cannot be the input of genotype entry `slot`, or undefined if it can. */
export function inputProblem(input: unknown, slot: number): string | undefined {
  const node = nodeOfSlot(slot);
  if (typeof input !== 'number' || !Number.isInteger(input) || input < 0 || input >= node) {
    return `input ${String(input)} is out of range: entry ${slot} feeds node ${node}, which can read nodes 0..${node - 1}`;
  }
  return undefined;
}

/** Why `value` cannot be a concat entry given the entries already `seen`, or undefined if it can. */
export function concatProblem(value: unknown, seen: readonly number[]): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < NUM_INPUT_NODES || value >= NUM_NODES) {
    return `concat entry ${String(value)} is out of range; use intermediate nodes ${NUM_INPUT_NODES}..${NUM_NODES - 1}`;
  }
  if (seen.includes(value)) return `concat lists node ${value} twice`;
  return undefined;
}

export function countProblem(length: number): string | undefined {
  return length === GENOTYPE_CELL_LENGTH
    ? undefined
    : `a cell needs exactly ${GENOTYPE_CELL_LENGTH} (op, input) entries (2 per node ${INTERMEDIATE_NODES.join(', ')}), got ${length}`;
}

function checkOps(value: unknown, path: string): GenotypeEdge[] {
  if (!Array.isArray(value)) throw new ConfigError(`${path} must be a list of [op, input] pairs`, path);
  const count = countProblem(value.length);
  if (count !== undefined) throw new ConfigError(`${path}: ${count}`, path);
  return value.map((entry: unknown, slot): GenotypeEdge => {
    const at = `${path}[${slot}]`;
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new ConfigError(`${at} must be a pair [op, input], e.g. ['sep_conv_3x3', 0]`, at);
    }
    const [op, input] = entry as unknown[];
    const problem = opProblem(op) ?? inputProblem(input, slot);
    if (problem !== undefined) throw new ConfigError(`${at}: ${problem}`, at);
    return Object.freeze([op as Primitive, input as number] as const);
  });
}

function checkConcat(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${path} must be a non-empty list of node indices, e.g. [2, 3, 4, 5]`, path);
  }
  const seen: number[] = [];
  value.forEach((v: unknown, i) => {
    const problem = concatProblem(v, seen);
    if (problem !== undefined) throw new ConfigError(`${path}[${i}]: ${problem}`, `${path}[${i}]`);
    seen.push(v as number);
  });
  return seen;
}

type FieldNames = { normal: string; normalConcat: string; reduce: string; reduceConcat: string };
const TS_NAMES: FieldNames = { normal: 'normal', normalConcat: 'normalConcat', reduce: 'reduce', reduceConcat: 'reduceConcat' };
const JSON_NAMES: FieldNames = { normal: 'normal', normalConcat: 'normal_concat', reduce: 'reduce', reduceConcat: 'reduce_concat' };

function checkFields(value: unknown, names: FieldNames, what: string): Genotype {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${what} must be an object with ${Object.values(names).join(', ')}`);
  }
  const record = value as Record<string, unknown>;
  const allowed = Object.values(names);
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${what} has unknown field '${key}'; expected ${allowed.join(', ')}`, key);
    }
  }
  for (const key of allowed) {
    if (!(key in record)) throw new ConfigError(`${what} is missing field '${key}'`, key);
  }
  return Object.freeze({
    normal: Object.freeze(checkOps(record[names.normal], names.normal)),
    normalConcat: Object.freeze(checkConcat(record[names.normalConcat], names.normalConcat)),
    reduce: Object.freeze(checkOps(record[names.reduce], names.reduce)),
    reduceConcat: Object.freeze(checkConcat(record[names.reduceConcat], names.reduceConcat)),
  });
}

/**
 * Checks an untrusted genotype object and returns a frozen copy. Throws ConfigError whose `path`
 * names the bad field, e.g. `normal[3]` or `reduceConcat[1]`.
 */
export function validateGenotype(value: unknown): Genotype {
  return checkFields(value, TS_NAMES, 'genotype');
}

export function genotypeToJSON(g: Genotype): GenotypeJSON {
  const ops = (list: readonly GenotypeEdge[]): [string, number][] => list.map(([op, input]) => [op, input]);
  return {
    normal: ops(g.normal),
    normal_concat: [...g.normalConcat],
    reduce: ops(g.reduce),
    reduce_concat: [...g.reduceConcat],
  };
}

/**
 * Reads the DARTS-spelled JSON form (keys normal, normal_concat, reduce, reduce_concat), either
 * already parsed or as JSON text, and validates it.
 */
export function genotypeFromJSON(json: unknown): Genotype {
  if (typeof json !== 'string') return checkFields(json, JSON_NAMES, 'genotype JSON');
  const tooDeep = jsonNestingPosition(json);
  if (tooDeep !== undefined) {
    throw new ParseError(`genotype JSON is nested too deeply (more than ${MAX_JSON_DEPTH} levels of [ and {); a genotype needs 3, ` +
      `as in {"normal": [["sep_conv_3x3", 0], ...], "normal_concat": [2, 3, 4, 5], ...}: check the brackets at the caret`, tooDeep, json.replace(/[\r\n\t]/g, ' '));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = jsonErrorPosition(json) ?? 0;
    throw new ParseError(`genotype is not valid JSON (${message}); fix it at the caret`, position, json.replace(/[\r\n\t]/g, ' '));
  }
  return checkFields(parsed, JSON_NAMES, 'genotype JSON');
}

export function genotypesEqual(a: Genotype, b: Genotype): boolean {
  const sameOps = (x: readonly GenotypeEdge[], y: readonly GenotypeEdge[]): boolean =>
    x.length === y.length && x.every(([op, input], i) => op === y[i]?.[0] && input === y[i]?.[1]);
  const sameList = (x: readonly number[], y: readonly number[]): boolean =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    sameOps(a.normal, b.normal) &&
    sameOps(a.reduce, b.reduce) &&
    sameList(a.normalConcat, b.normalConcat) &&
    sameList(a.reduceConcat, b.reduceConcat)
  );
}
