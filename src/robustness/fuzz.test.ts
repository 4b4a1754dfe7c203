// Property-based tests (fast-check) of the parsers that read what users and disks hand lnas:
// genotypes (text, JSON, names, files), checkpoints, and config files. Property: any input is
// either accepted or refused with an LnasError (never another exception, never a hang), and no
// single input takes more than 100 ms of CPU time (CPU, not wall time: a loaded machine must not
// fail it, while a parser that backtracks or loops on an input still does).
//
// The seed is fixed so CI sees the same inputs every run; explore with other inputs by setting
// LNAS_FUZZ_SEED (a number) and LNAS_FUZZ_RUNS (runs per property), e.g.
//   LNAS_FUZZ_SEED=$RANDOM LNAS_FUZZ_RUNS=2000 node scripts/test.mjs robustness/fuzz
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseArgs } from '../cli/args.js';
import { ConfigError, LnasError } from '../errors.js';
import { Linear } from '../nn/layers.js';
import { SGD } from '../optim/sgd.js';
import { formatGenotype, parseGenotype } from '../spaces/darts/genotype-text.js';
import { genotypeFromJSON, genotypeToJSON } from '../spaces/darts/genotype.js';
import { DARTS_V2, resolveGenotype } from '../spaces/darts/genotypes.js';
import { tensor } from '../tensor/creation.js';
import { manualSeed } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { DataSchema } from '../data/config.js';
import { ModelSchema } from '../experiments/models.js';
import { OptimSchema, RuntimeSchema } from '../train/config.js';
import { PruneSchema } from '../pruning/config.js';
import { rawSafetensors, readRawSafetensors, tmp } from './testing.js';

const SEED = Number(process.env.LNAS_FUZZ_SEED ?? 20240611);
const RUNS = Number(process.env.LNAS_FUZZ_RUNS ?? 150);
const LIMIT_MS = 100;
const params = (numRuns = RUNS) => ({ seed: SEED, numRuns });

/** Runs f; passes when it returns or throws an LnasError, within LIMIT_MS of this process' CPU time. */
function acceptsOrRefuses(what: string, f: () => unknown): void {
  const c0 = process.cpuUsage();
  try {
    f();
  } catch (e) {
    if (!(e instanceof LnasError)) throw new Error(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not an LnasError`, { cause: e });
  }
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  if (ms > LIMIT_MS) throw new Error(`${what}: took ${ms.toFixed(1)} ms of CPU (limit ${LIMIT_MS} ms)`);
}

// ---- mutations ------------------------------------------------------------------------------

type Edit = { op: 'delete' | 'insert' | 'replace' | 'dup' | 'truncate'; at: number; len: number; text: string };

/** Random text with a bias towards the characters and words that genotypes and JSON are made of. */
const fragment = fc.oneof(
  fc.constantFrom('(', ')', '[', ']', '{', '}', ',', '=', ':', '"', "'", '\\', ' ', '\n', '-', '.', '0', '1', '7', '99999999999999999999', '1e400',
    'Genotype', 'normal', 'reduce', 'normal_concat', 'reduce_concat', 'range', "'sep_conv_3x3'", '"none"', 'null', 'true', '__proto__', '\u0000', '\ufffd', '\ud800'),
  fc.string({ maxLength: 8 }),
  fc.fullUnicodeString({ maxLength: 4 }),
);
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('delete', 'insert', 'replace', 'dup', 'truncate'), at: fc.nat(), len: fc.nat(24), text: fragment,
}) as fc.Arbitrary<Edit>;

function applyEdits(base: string, edits: readonly Edit[]): string {
  let s = base;
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    switch (e.op) {
      case 'delete': s = s.slice(0, at) + s.slice(at + e.len); break;
      case 'insert': s = s.slice(0, at) + e.text + s.slice(at); break;
      case 'replace': s = s.slice(0, at) + e.text + s.slice(at + e.text.length); break;
      case 'dup': s = s.slice(0, at + e.len) + s.slice(at, at + e.len) + s.slice(at + e.len); break;
      case 'truncate': s = s.slice(0, at); break;
    }
  }
  return s;
}
const mutatedText = (base: string) => fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => applyEdits(base, edits));

/** Replaces (or deletes) the value at one path of a JSON value, chosen by `pick`. */
function mutateJsonAt(value: unknown, pick: number, replacement: unknown, remove: boolean): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const paths: (string | number)[][] = [[]];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) { const p = [...path, Array.isArray(v) ? Number(k) : k]; paths.push(p); walk(c, p); }
    }
  };
  walk(copy, []);
  const path = paths[pick % paths.length] as (string | number)[];
  if (path.length === 0) return replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete parent[last]; else parent[last] = replacement;
  return copy;
}
const jsonMutation = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.boolean());

/** JSON object text whose keys may be __proto__ and friends (JSON.parse makes them own properties). */
const objectText = (keys: fc.Arbitrary<string>, values: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(keys, values), { maxLength: 6 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`);

// ---- genotypes ------------------------------------------------------------------------------

const V2_TEXT = formatGenotype(DARTS_V2);
const V2_JSON = JSON.stringify(genotypeToJSON(DARTS_V2));
const nested = fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom('[', '{"a":', '(', "Genotype(normal=[", '[['), fc.boolean())
  .map(([n, open, closed]) => `${open.startsWith('{') || open.startsWith('[') ? '{"normal": ' : ''}${open.repeat(n)}${closed ? ']'.repeat(n) : ''}`);
const genotypeInput = fc.oneof(
  { weight: 3, arbitrary: mutatedText(V2_TEXT) },
  { weight: 3, arbitrary: mutatedText(V2_JSON) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.fullUnicodeString({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: jsonMutation.map(([p, v, rm]) => JSON.stringify(mutateJsonAt(genotypeToJSON(DARTS_V2), p, v, rm))) },
  { weight: 1, arbitrary: nested },
  { weight: 1, arbitrary: fc.constantFrom('DARTS', 'darts_v1', ' DARTS_V2 ', 'DARTS_V3', '', ' ', 'x.json', 'x.txt', '.', '/') },
);

test('genotype parsers: any text, JSON or name is parsed or refused with an LnasError, fast', () => {
  acceptsOrRefuses('warm-up', () => parseGenotype(V2_TEXT));
  fc.assert(fc.property(genotypeInput, (text) => {
    acceptsOrRefuses(`parseGenotype(${JSON.stringify(text.slice(0, 60))})`, () => parseGenotype(text, { origin: 'fuzz.txt' }));
    acceptsOrRefuses(`genotypeFromJSON(${JSON.stringify(text.slice(0, 60))})`, () => genotypeFromJSON(text));
    acceptsOrRefuses(`resolveGenotype(${JSON.stringify(text.slice(0, 60))})`, () => resolveGenotype(text));
  }), params());
});

test('genotypeFromJSON: any parsed JSON value is accepted or refused with an LnasError', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), jsonMutation.map(([p, v, rm]) => mutateJsonAt(genotypeToJSON(DARTS_V2), p, v, rm))), (value) => {
    acceptsOrRefuses(`genotypeFromJSON(${JSON.stringify(value)?.slice(0, 60)})`, () => genotypeFromJSON(value));
  }), params());
});

test('genotype files: any contents, text or binary, are parsed or refused with an LnasError', () => {
  const dir = tmp();
  fc.assert(fc.property(fc.oneof(genotypeInput.map((s) => new TextEncoder().encode(s)), fc.uint8Array({ maxLength: 2048 })), fc.constantFrom('.txt', '.json'),
    (bytes, ext) => {
      const path = join(dir, `g${ext}`);
      writeFileSync(path, bytes);
      acceptsOrRefuses(`resolveGenotype(file of ${bytes.length} bytes)`, () => resolveGenotype(path));
    }), params(Math.ceil(RUNS / 2)));
});

// ---- checkpoints ----------------------------------------------------------------------------

const FIT_STATE = {
  epoch: 1, stepInEpoch: 3, partial: { loss: 1.5, c1: 3, n: 64, seconds: 0.5 }, history: [{ stage: 'train', epoch: 1, train_loss: 2 }], emaUpdates: 4,
  batcher: { epoch: 0, cursor: 2, shuffleRng: [1, 2, 3, 4], augRng: [5, -6, 7, 8], n: 64, batchSize: 32 },
};

/** A small model, an SGD with momentum buffers and an extra tensor, saved as a valid checkpoint. */
function checkpointFixture() {
  manualSeed(3);
  const model = new Linear(3, 2);
  const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  for (let i = 0; i < 2; i++) scope(() => { opt.zeroGrad(); model.forward(tensor([1, 2, 3, 4, 5, 6], [2, 3])).sum().backward(); opt.step(); });
  const alpha = tensor([0.1, 0.2, 0.3, 0.4], [2, 2]).keep();
  const target = { model, optimizers: { weights: opt }, extra: new Map([['alpha', alpha]]) };
  const dir = tmp();
  const valid = join(dir, 'valid.safetensors');
  saveCheckpoint(valid, target, FIT_STATE);
  const dispose = () => { opt.disposeState(); model.dispose(); alpha.dispose(); };
  return { target, dir, valid, dispose };
}

type ByteEdit = { op: 'flip' | 'truncate' | 'insert' | 'delete' | 'overwrite'; at: number; mask: number; bytes: Uint8Array; len: number };
const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  op: fc.constantFrom('flip', 'truncate', 'insert', 'delete', 'overwrite'), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }), len: fc.nat(64),
}) as fc.Arbitrary<ByteEdit>;

function applyByteEdits(base: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let b = base;
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % b.length;
    switch (e.op) {
      case 'flip': { b = b.slice(); if (b.length) b[at] = (b[at] as number) ^ e.mask; break; }
      case 'truncate': b = b.slice(0, at); break;
      case 'insert': b = Uint8Array.from([...b.subarray(0, at), ...e.bytes, ...b.subarray(at)]); break;
      case 'delete': b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + e.len)]); break;
      case 'overwrite': { b = b.slice(); b.set(e.bytes.subarray(0, Math.max(0, b.length - at)), at); break; }
    }
  }
  return b;
}

/** Edits of the JSON header: metadata strings, tensor entries, the whole header. */
type HeaderEdit = { where: 'state' | 'optim' | 'format' | 'tensor' | 'header' | 'metadata'; pick: number; value: unknown; remove: boolean; text: string };
const headerEdit: fc.Arbitrary<HeaderEdit> = fc.record({
  where: fc.constantFrom('state', 'optim', 'format', 'tensor', 'header', 'metadata'), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }),
  remove: fc.boolean(), text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('null', '{}', '[]', '"x"', '1e999', '{"weights": null}')),
}) as fc.Arbitrary<HeaderEdit>;

function applyHeaderEdit(header: Record<string, unknown>, e: HeaderEdit): unknown {
  const meta = header.__metadata__ as Record<string, unknown>;
  switch (e.where) {
    case 'state':
    case 'optim': {
      const current = meta[e.where];
      let parsed: unknown;
      try { parsed = typeof current === 'string' ? JSON.parse(current) : current; } catch { parsed = current; }
      meta[e.where] = e.pick % 3 === 0 ? e.text : JSON.stringify(mutateJsonAt(parsed ?? null, e.pick, e.value, e.remove));
      return header;
    }
    case 'format': meta.format = e.remove ? undefined : e.value; return header;
    case 'metadata': header.__metadata__ = e.remove ? undefined : e.value; return header;
    case 'tensor': {
      const names = Object.keys(header).filter((k) => k !== '__metadata__');
      const name = names[e.pick % names.length] as string;
      header[name] = mutateJsonAt(header[name], e.pick, e.value, e.remove);
      return header;
    }
    case 'header': return mutateJsonAt(header, e.pick, e.value, e.remove);
  }
}

test('checkpoint loader: random bytes and damaged checkpoints load or are refused with an LnasError, fast', () => {
  const f = checkpointFixture();
  try {
    const path = join(f.dir, 'checkpoint.safetensors');
    const valid = new Uint8Array(readFileSync(f.valid));
    const { header, data } = readRawSafetensors(f.valid);
    acceptsOrRefuses('warm-up', () => { writeFileSync(path, valid); assert.deepEqual(loadCheckpoint(path, f.target), FIT_STATE); });
    const input = fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((tail) => rawSafetensors(header, data).subarray(0, 8 + (tail[0] ?? 0))) },
      { weight: 3, arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 4 }).map((edits) => applyByteEdits(valid, edits)) },
      { weight: 4, arbitrary: fc.array(headerEdit, { minLength: 1, maxLength: 3 }).map((edits) =>
        rawSafetensors(edits.reduce<unknown>((h, e) => (h !== null && typeof h === 'object' && !Array.isArray(h) && (h as Record<string, unknown>).__metadata__ !== null && typeof (h as Record<string, unknown>).__metadata__ === 'object'
          ? applyHeaderEdit(h as Record<string, unknown>, e) : h), JSON.parse(JSON.stringify(header))), data)) },
    );
    fc.assert(fc.property(input, (bytes) => {
      writeFileSync(path, bytes);
      acceptsOrRefuses(`loadCheckpoint(${bytes.length} bytes)`, () => loadCheckpoint(path, f.target));
    }), params(RUNS * 2));
  } finally {
    f.dispose();
  }
});

// ---- config files ---------------------------------------------------------------------------

const SECTIONS = { data: DataSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema, runtime: RuntimeSchema } as const;
const VALID_CONFIG = JSON.stringify({ data: { dataset: 'synthetic', batchSize: 32 }, optim: { epochs: 2, lr: 0.1, nesterov: true }, model: { genotype: 'DARTS_V2' } });
const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
const key = fc.oneof(fc.constantFrom(...SPECIAL_KEYS, ...Object.keys(SECTIONS), 'dataset', 'epochs', 'lr', 'genotype', 'batchSize', 'nesterov'), fc.string({ maxLength: 6 }));
const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.constantFrom('"synthetic"', '"DARTS_V2"', '"sgd"', '1e999', '-0', '3.5', '"2"'));
const section = objectText(key, leaf);
const configText = fc.oneof(
  { weight: 3, arbitrary: objectText(key, section) },
  { weight: 2, arbitrary: mutatedText(VALID_CONFIG) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
);

test('config files: any --config JSON (incl. __proto__, constructor, toString keys) parses or is refused with an LnasError', () => {
  const dir = tmp();
  const path = join(dir, 'config.json');
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  writeFileSync(path, VALID_CONFIG);
  acceptsOrRefuses('warm-up', () => parseArgs(['--config', path], SECTIONS, 'train', {}, undefined, ['prune']));
  fc.assert(fc.property(configText, (text) => {
    writeFileSync(path, text);
    acceptsOrRefuses(`parseArgs(--config ${text.slice(0, 80)})`, () => parseArgs(['--config', path, '--epochs', '3'], SECTIONS, 'train', {}, undefined, ['prune']));
    assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(','), protoBefore, 'Object.prototype was changed');
    assert.equal(({} as Record<string, unknown>).dataset, undefined, 'Object.prototype was polluted');
  }), params());
});

test('config files: a section or option named __proto__, constructor, toString, ... is refused with a ConfigError naming it', () => {
  const dir = tmp();
  const path = join(dir, 'config.json');
  fc.assert(fc.property(fc.constantFrom(...SPECIAL_KEYS), fc.constantFrom(null, ...Object.keys(SECTIONS)), leaf, (name, sectionName, value) => {
    const text = sectionName === null
      ? `{"optim": {"lr": 0.1}, ${JSON.stringify(name)}: {"lr": ${value}}}`
      : `{${JSON.stringify(sectionName)}: {${sectionName === 'optim' ? '"seed": 1, ' : ''}${JSON.stringify(name)}: ${value}}}`;
    writeFileSync(path, text);
    assert.throws(() => parseArgs(['--config', path], SECTIONS, 'train', {}, undefined, ['prune']),
      (e: unknown) => e instanceof ConfigError && e.message.includes(`"${sectionName === null ? name : `${sectionName}.${name}`}"`), text);
  }), params(60));
});
