// Published genotypes (quark0/darts genotypes.py, Liu et al. 2019) and the one place that turns a
// user's `--genotype` value into a Genotype: a name, inline text, inline JSON or a file.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigError, DataError, LnasError } from '../../errors.js';
import { genotypeFromJSON, validateGenotype, type Genotype } from './genotype.js';
import { parseGenotype } from './genotype-text.js';

/** First-order DARTS (CIFAR-10), DARTS_V1 in genotypes.py. */
export const DARTS_V1: Genotype = validateGenotype({
  normal: [
    ['sep_conv_3x3', 1], ['sep_conv_3x3', 0],
    ['skip_connect', 0], ['sep_conv_3x3', 1],
    ['skip_connect', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0], ['skip_connect', 2],
  ],
  normalConcat: [2, 3, 4, 5],
  reduce: [
    ['max_pool_3x3', 0], ['max_pool_3x3', 1],
    ['skip_connect', 2], ['max_pool_3x3', 0],
    ['max_pool_3x3', 0], ['skip_connect', 2],
    ['skip_connect', 2], ['avg_pool_3x3', 0],
  ],
  reduceConcat: [2, 3, 4, 5],
});

/** Second-order DARTS (CIFAR-10), DARTS_V2 in genotypes.py; the paper's headline cell. */
export const DARTS_V2: Genotype = validateGenotype({
  normal: [
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 0], ['sep_conv_3x3', 1],
    ['sep_conv_3x3', 1], ['skip_connect', 0],
    ['skip_connect', 0], ['dil_conv_3x3', 2],
  ],
  normalConcat: [2, 3, 4, 5],
  reduce: [
    ['max_pool_3x3', 0], ['max_pool_3x3', 1],
    ['skip_connect', 2], ['max_pool_3x3', 1],
    ['max_pool_3x3', 0], ['skip_connect', 2],
    ['skip_connect', 2], ['max_pool_3x3', 1],
  ],
  reduceConcat: [2, 3, 4, 5],
});

/** Known names; `DARTS` is an alias of DARTS_V2 as in genotypes.py. */
export const NAMED_GENOTYPES: Readonly<Record<string, Genotype>> = Object.freeze({
  DARTS_V1,
  DARTS_V2,
  DARTS: DARTS_V2,
});

export function genotypeNames(): readonly string[] {
  return Object.keys(NAMED_GENOTYPES);
}

/** A --genotype value that is not a known name, genotype text, JSON or readable file. */
export class UnknownGenotypeError extends LnasError {
  readonly known: readonly string[];
  constructor(spec: string, known: readonly string[]) {
    const shown = spec.length > 80 ? `${spec.slice(0, 77)}...` : spec;
    super(
      'LNAS_UNKNOWN_GENOTYPE',
      `unknown genotype '${shown}': use one of ${known.join(', ')} (any case), ` +
        `DARTS text like "Genotype(normal=[...], ...)", a JSON object, or a path to a .json/.txt file`,
    );
    this.known = known;
  }
}

function lookupName(name: string): Genotype | undefined {
  const wanted = name.toUpperCase();
  const key = Object.keys(NAMED_GENOTYPES).find((k) => k.toUpperCase() === wanted);
  return key === undefined ? undefined : NAMED_GENOTYPES[key];
}

const TEXT_START = /^([A-Za-z_]\w*\s*=\s*)?Genotype\s*\(/;

/** Parses file or inline contents, choosing JSON or DARTS text by the first character. */
function fromContents(contents: string, origin?: string): Genotype {
  const trimmed = contents.trim();
  if (trimmed.startsWith('{')) {
    try {
      return genotypeFromJSON(contents);
    } catch (e) {
      if (origin !== undefined && e instanceof ConfigError) throw new ConfigError(`${origin}: ${e.message}`, e.path);
      throw e;
    }
  }
  return parseGenotype(contents, origin === undefined ? {} : { origin });
}

function readGenotypeFile(path: string): Genotype {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.txt') {
    throw new ConfigError(`genotype file ${path} must end in .json (JSON object) or .txt (DARTS Genotype(...) text)`, path);
  }
  let contents: string;
  try {
    contents = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new DataError('LNAS_GENOTYPE_FILE', `cannot read genotype file ${path} (${reason}); check the path`, {
      path,
      cause: e,
    });
  }
  return fromContents(contents, path);
}

/**
 * Resolves a user-supplied genotype: a known name (case-insensitive), DARTS `Genotype(...)` text,
 * a JSON object string, or a path to a .json/.txt file holding either form.
 */
export function resolveGenotype(spec: string): Genotype {
  const trimmed = spec.trim();
  const named = lookupName(trimmed);
  if (named !== undefined) return named;
  if (trimmed.startsWith('{') || TEXT_START.test(trimmed)) return fromContents(spec);
  const ext = extname(trimmed).toLowerCase();
  const isFile = existsSync(trimmed) && statSync(trimmed).isFile();
  if (isFile || ext === '.json' || ext === '.txt') return readGenotypeFile(trimmed);
  throw new UnknownGenotypeError(trimmed, genotypeNames());
}
