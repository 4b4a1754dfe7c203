// The DARTS text form, `Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], ...)`,
// as printed by train_search.py and stored in genotypes.py. Recursive descent over genotype-tokens,
// checking ops, inputs and concat entries as they are read so each error points at its own token.
//
// Grammar (keyword arguments in any order, trailing commas allowed):
//   document := [IDENT '='] 'Genotype' '(' [field (',' field)* [',']] ')' EOF
//   field    := ('normal' | 'reduce') '=' ops | ('normal_concat' | 'reduce_concat') '=' concat
//   ops      := '[' [pair (',' pair)* [',']] ']'
//   pair     := '(' STRING ',' INT [','] ')'
//   concat   := '[' [INT (',' INT)* [',']] ']' | 'range' '(' INT [',' INT] [','] ')'

import {
  concatProblem,
  countProblem,
  inputProblem,
  opProblem,
  validateGenotype,
  type Genotype,
  type GenotypeEdge,
} from './genotype.js';
import { Lexer, describe, integerValue, parseErrorAt, type Token, type TokenKind } from './genotype-tokens.js';
import { GENOTYPE_CELL_LENGTH, type Primitive } from './primitives.js';

export type ParseGenotypeOptions = {
  /** Prefixed to error messages, e.g. the file the text came from. */
  readonly origin?: string;
};

const OP_FIELDS = ['normal', 'reduce'] as const;
const CONCAT_FIELDS = ['normal_concat', 'reduce_concat'] as const;
const FIELDS: readonly string[] = [...OP_FIELDS, ...CONCAT_FIELDS];

class Parser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Lexer,
    private readonly origin: string | undefined,
  ) {}

  private peek(ahead = 0): Token {
    return this.tokens.at(this.index + ahead);
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private fail(position: number, message: string): never {
    throw parseErrorAt(this.source, position, message, this.origin);
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) this.fail(token.pos, `expected ${what}, found ${describe(token)}`);
    return this.next();
  }

  private skipOptional(kind: TokenKind): void {
    if (this.peek().kind === kind) this.next();
  }

  document(): Genotype {
    // Accept `DARTS_V2 = Genotype(...)` as copied from genotypes.py or a search log.
    if (this.peek().kind === 'ident' && this.peek().text !== 'Genotype' && this.peek(1).kind === '=') {
      this.next();
      this.next();
    }
    const head = this.peek();
    if (head.kind !== 'ident' || head.text !== 'Genotype') {
      this.fail(head.pos, `expected 'Genotype(', found ${describe(head)}`);
    }
    this.next();
    this.expect('(', `'(' after Genotype`);
    const values = new Map<string, { value: unknown; pos: number }>();
    while (this.peek().kind !== ')') {
      const name = this.expect('ident', `a field name (${FIELDS.join(', ')}) or ')'`);
      if (!FIELDS.includes(name.text)) {
        this.fail(name.pos, `unknown field '${name.text}'; expected one of ${FIELDS.join(', ')}`);
      }
      const first = values.get(name.text);
      if (first !== undefined) {
        this.fail(name.pos, `duplicate field '${name.text}' (first given at position ${first.pos})`);
      }
      this.expect('=', `'=' after ${name.text}`);
      const value = name.text.endsWith('_concat') ? this.concat() : this.ops();
      values.set(name.text, { value, pos: name.pos });
      if (this.peek().kind !== ',') break;
      this.next();
    }
    const close = this.expect(')', `',' or ')' to close Genotype(`);
    const missing = FIELDS.filter((f) => !values.has(f));
    if (missing.length > 0) {
      this.fail(close.pos, `missing field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
    }
    this.expect('eof', 'end of input after the closing )');
    const get = (field: string): unknown => values.get(field)?.value;
    // Every part was checked while parsing; this also freezes the result.
    return validateGenotype({
      normal: get('normal'),
      normalConcat: get('normal_concat'),
      reduce: get('reduce'),
      reduceConcat: get('reduce_concat'),
    });
  }

  private ops(): GenotypeEdge[] {
    const open = this.expect('[', `'[' to start a list of (op, input) pairs`);
    const entries: GenotypeEdge[] = [];
    while (this.peek().kind !== ']') {
      const start = this.peek();
      if (start.kind !== '(') {
        this.fail(start.pos, `expected '(' to start an (op, input) pair or ']' to close the list opened at position ${open.pos}, found ${describe(start)}`);
      }
      if (entries.length === GENOTYPE_CELL_LENGTH) {
        this.fail(start.pos, `too many entries: ${countProblem(GENOTYPE_CELL_LENGTH + 1) ?? ''}`);
      }
      entries.push(this.pair(entries.length));
      if (this.peek().kind !== ',') break;
      this.next();
    }
    const close = this.expect(']', `',' or ']' to close the list opened at position ${open.pos}`);
    const count = countProblem(entries.length);
    if (count !== undefined) this.fail(close.pos, count);
    return entries;
  }

  private pair(slot: number): GenotypeEdge {
    this.expect('(', `'(' to start an (op, input) pair`);
    const op = this.expect('string', `a quoted op name such as 'sep_conv_3x3'`);
    const opError = opProblem(op.text);
    // Point at the name itself rather than its opening quote.
    if (opError !== undefined) this.fail(op.pos + 1, opError);
    this.expect(',', `',' between op and input`);
    const input = this.integer('an input node index');
    const inputError = inputProblem(input.value, slot);
    if (inputError !== undefined) this.fail(input.pos, inputError);
    this.skipOptional(',');
    this.expect(')', `')' to close the (op, input) pair`);
    return [op.text as Primitive, input.value];
  }

  private integer(what: string): { value: number; pos: number } {
    const token = this.peek();
    const value = integerValue(token);
    if (value === undefined) this.fail(token.pos, `expected ${what} (a non-negative integer), found ${describe(token)}`);
    this.next();
    return { value, pos: token.pos };
  }

  private concat(): number[] {
    const start = this.peek();
    const values: number[] = [];
    const add = (value: number, pos: number): void => {
      const problem = concatProblem(value, values);
      if (problem !== undefined) this.fail(pos, problem);
      values.push(value);
    };
    if (start.kind === 'ident' && start.text === 'range') {
      this.next();
      this.expect('(', `'(' after range`);
      const a = this.integer('a range bound');
      let from = 0;
      let to = a.value;
      if (this.peek().kind === ',' && this.peek(1).kind !== ')') {
        this.next();
        from = a.value;
        to = this.integer('a range bound').value;
      }
      this.skipOptional(',');
      this.expect(')', `')' to close range(`);
      for (let v = from; v < to; v++) add(v, start.pos);
    } else if (start.kind === '[') {
      this.next();
      while (this.peek().kind !== ']') {
        const item = this.integer('a node index');
        add(item.value, item.pos);
        if (this.peek().kind !== ',') break;
        this.next();
      }
      this.expect(']', `',' or ']' to close the list opened at position ${start.pos}`);
    } else {
      this.fail(start.pos, `expected a list like [2, 3, 4, 5] or range(2, 6), found ${describe(start)}`);
    }
    if (values.length === 0) this.fail(start.pos, 'concat list is empty; list the nodes that form the cell output, e.g. [2, 3, 4, 5]');
    return values;
  }
}

/** Parses the DARTS text form; throws ParseError pointing at the offending character. */
export function parseGenotype(text: string, options: ParseGenotypeOptions = {}): Genotype {
  return new Parser(text, new Lexer(text, options.origin), options.origin).document();
}

/** Canonical DARTS text, as in genotypes.py; parseGenotype(formatGenotype(g)) equals g. */
export function formatGenotype(g: Genotype): string {
  const ops = (list: readonly GenotypeEdge[]): string => list.map(([op, input]) => `('${op}', ${input})`).join(', ');
  const ints = (list: readonly number[]): string => list.join(', ');
  return (
    `Genotype(normal=[${ops(g.normal)}], normal_concat=[${ints(g.normalConcat)}], ` +
    `reduce=[${ops(g.reduce)}], reduce_concat=[${ints(g.reduceConcat)}])`
  );
}
