// JSON.parse reports where it failed only in some engine versions (and only inside its message
// text), so a hand-edited genotype file that does not parse is re-scanned here to find the
// offset of the first syntax error for a ParseError caret. Validation only, no values built.

class Stop {
  constructor(readonly at: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Nesting of [ and { that the scanner follows; a genotype needs 3. Deeper input is refused, not recursed into. */
export const MAX_JSON_DEPTH = 32;

/**
 * Offset of the first [ or { that opens nesting level `maxDepth + 1` (strings skipped), or
 * undefined if `text` nests no deeper than that. One pass, no recursion.
 */
export function jsonNestingPosition(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \\ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Offset of the first JSON syntax error in `text`, or undefined if it is valid JSON. Nesting
 * deeper than MAX_JSON_DEPTH is reported as an error at the bracket that goes too deep.
 */
export function jsonErrorPosition(text: string): number | undefined {
  let i = 0;
  let depth = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) fail();
        i = ESCAPE.lastIndex;
      } else if (c < ' ') {
        fail();
      } else {
        i++;
      }
    }
    fail();
  };
  /** Comma-separated items up to `close`; the opening bracket has been consumed. */
  const items = (close: string, item: () => void): void => {
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') fail();
      i++;
    }
  };
  const value = (): void => {
    skipSpace();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) fail();
    if (c === '{') {
      i++;
      depth++;
      items('}', () => {
        skipSpace();
        if (text[i] !== '"') fail();
        string();
        skipSpace();
        if (text[i] !== ':') fail();
        i++;
        value();
      });
      depth--;
    } else if (c === '[') {
      i++;
      depth++;
      items(']', value);
      depth--;
    } else if (c === '"') {
      string();
    } else if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail();
      i = NUMBER.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
      if (literal === undefined) fail();
      i += (literal as string).length;
    }
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}
