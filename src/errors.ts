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

/** A text (genotype, block string) that does not parse; `position` is a 0-based offset. */
export class ParseError extends LnasError {
  readonly position: number;
  constructor(message: string, position: number, source: string) {
    super('LNAS_PARSE', `${message} at position ${position}:\n  ${source}\n  ${' '.repeat(position)}^`);
    this.position = position;
  }
}

export function isLnasError(e: unknown): e is LnasError {
  return e instanceof LnasError;
}
