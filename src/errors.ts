// Every error a user can cause is an LnasError with a stable `code` and a message that says
// what to do. The CLI prints `message` (no stack) for these and exits non-zero.

export class LnasError extends Error {
  readonly code: string;
  /** Where in a config, genome or file the problem is, e.g. `training.lr` or `s2_i1_exp`. */
  readonly path: string | undefined;

  constructor(code: string, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
  }
}

/** A config, flag or genome value that is out of range, unknown or malformed. */
export class ConfigError extends LnasError {
  constructor(message: string, path?: string) {
    super('LNAS_CONFIG', message, path === undefined ? {} : { path });
  }
}

/** A dataset or checkpoint file that is missing, truncated or corrupt. */
export class DataError extends LnasError {
  constructor(code: string, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/**
 * A text (genotype, block string) that does not parse; `position` is a 0-based offset. The message
 * shows about 80 characters of the source around the caret (… where cut), with non-printable
 * characters escaped, so a huge or binary input still gives a short, readable message.
 */
export class ParseError extends LnasError {
  readonly position: number;
  constructor(message: string, position: number, source: string) {
    const { line, caret } = excerpt(source, position);
    super('LNAS_PARSE', `${message} at position ${position}:\n  ${line}\n  ${' '.repeat(caret)}^`);
    this.position = position;
  }
}

/** Columns of source shown by a ParseError, and of them at most this many before the caret when both sides are cut. */
const EXCERPT_WIDTH = 80;
const EXCERPT_BEFORE = 40;
// Control and format characters (incl. bidi overrides), lone surrogates, line/paragraph separators
// and U+FFFD (what undecodable bytes become) are shown as escapes.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFD]/u;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function shown(ch: string): string {
  if (!UNPRINTABLE.test(ch)) return ch;
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0) as number;
  const hex = cp.toString(16);
  return cp < 0x100 ? `\\x${hex.padStart(2, '0')}` : cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** Display pieces (one per code point) going backward (`dir` -1) or forward from `from`, up to `width` columns. */
function take(source: string, from: number, dir: 1 | -1, width: number): { pieces: string[]; width: number; edge: number } {
  const pieces: string[] = [];
  let used = 0;
  let i = from;
  for (;;) {
    if (dir < 0 ? i <= 0 : i >= source.length) break;
    // One code point: a surrogate pair counts as one character.
    let len = 1;
    if (dir < 0) {
      const lo = source.charCodeAt(i - 1);
      if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) { const hi = source.charCodeAt(i - 2); if (hi >= 0xd800 && hi <= 0xdbff) len = 2; }
    } else {
      const hi = source.charCodeAt(i);
      if (hi >= 0xd800 && hi <= 0xdbff && i + 1 < source.length) { const lo = source.charCodeAt(i + 1); if (lo >= 0xdc00 && lo <= 0xdfff) len = 2; }
    }
    const piece = shown(dir < 0 ? source.slice(i - len, i) : source.slice(i, i + len));
    if (used + piece.length > width) break;
    pieces.push(piece);
    used += piece.length;
    i += dir * len;
  }
  return { pieces, width: used, edge: i };
}

/** The source line of a ParseError (about EXCERPT_WIDTH columns around `position`) and the caret's column in it. */
function excerpt(source: string, position: number): { line: string; caret: number } {
  const at = Math.max(0, Math.min(Math.trunc(position) || 0, source.length));
  let before = take(source, at, -1, EXCERPT_BEFORE);
  const after = take(source, at, 1, EXCERPT_WIDTH - before.width);
  // Near the end of the source the columns the right side did not use go to the left side.
  if (after.edge >= source.length) before = take(source, at, -1, EXCERPT_WIDTH - after.width);
  const head = `${before.edge > 0 ? '…' : ''}${before.pieces.reverse().join('')}`;
  return { line: `${head}${after.pieces.join('')}${after.edge < source.length ? '…' : ''}`, caret: [...head].length };
}

export function isLnasError(e: unknown): e is LnasError {
  return e instanceof LnasError;
}

/**
 * A run stopped on request (SIGINT/SIGTERM in the CLI, an aborted signal in the API) after writing
 * a checkpoint at the step it had reached: running the same command again resumes there.
 */
export class Interrupted extends LnasError {
  readonly stage: string;
  readonly epoch: number;
  readonly step: number;
  constructor(stage: string, epoch: number, step: number, dir: string | null) {
    super('LNAS_INTERRUPTED', `${stage} stopped at epoch ${epoch}, step ${step}` +
      (dir === null ? '' : `; checkpoint saved in ${dir}: run the same command again to resume`));
    this.stage = stage;
    this.epoch = epoch;
    this.step = step;
  }
}
