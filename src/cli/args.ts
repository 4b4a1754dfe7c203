// Command-line parsing driven by the config schemas: every schema field is a --kebab-case flag,
// `--config FILE` reads the same fields from JSON or YAML (by section), `--` ends the options,
// and anything unknown is a ConfigError naming it (with the closest known name, if any).
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { type ConfigOf, type Field, type Preset, type Sections, clip, kebab, parseFlagValue, preview, resolve } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { didYouMean } from './suggest.js';

export type { Preset, Sections } from '../config/schema.js';

export type Parsed<S extends Sections> = { [K in keyof S]: ConfigOf<S[K]> };

export interface ParseResult<S extends Sections> {
  config: Parsed<S>;
  positionals: string[];
  help: boolean;
}


/**
 * Flag name of every field. A field whose name also exists in another section is spelled
 * `--<section>-<name>` when its section is listed in `prefixed` (e.g. `--search-epochs` next to the
 * retraining's `--epochs`); a collision left unresolved is a programming error.
 */
export function flagNames(sections: Sections, prefixed: readonly string[] = []): Map<string, [string, string, Field]> {
  const owners = new Map<string, string[]>();
  for (const [section, schema] of Object.entries(sections)) {
    for (const key of Object.keys(schema)) owners.set(kebab(key), [...(owners.get(kebab(key)) ?? []), section]);
  }
  const index = new Map<string, [string, string, Field]>();
  for (const [section, schema] of Object.entries(sections)) {
    for (const [key, field] of Object.entries(schema)) {
      const shared = (owners.get(kebab(key)) ?? []).length > 1;
      const name = shared && prefixed.includes(section) ? `${section}-${kebab(key)}` : kebab(key);
      if (index.has(name)) throw new Error(`flag --${name} is defined by sections ${index.get(name)?.[0]} and ${section}`);
      index.set(name, [section, key, field]);
    }
  }
  return index;
}

export interface ParseOptions {
  /** Whether the command takes words that are not options (a folder, bench targets); default 'none'. */
  positionals?: 'none' | 'any';
}

/** An object with no prototype: keys read from a user's file can never reach Object.prototype. */
const bare = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export function parseArgs<S extends Sections>(argv: readonly string[], sections: S, command: string,
  presets: Readonly<Record<string, Preset>> = {}, defaultPreset?: string, prefixed: readonly string[] = [],
  options: ParseOptions = {}): ParseResult<S> & { preset: string | null } {
  const flagIndex = flagNames(sections, prefixed);
  const partial = bare<Record<string, unknown>>();
  for (const s of Object.keys(sections)) partial[s] = bare();
  const positionals: string[] = [];
  const takesPositionals = options.positionals === 'any';
  let help = false;
  const fromFile = bare<Record<string, unknown>>();
  let preset: string | null = defaultPreset ?? null;
  const presetAt = argv.findIndex((a) => a === '--preset' || a.startsWith('--preset='));
  if (presetAt >= 0) {
    const a = argv[presetAt] as string;
    const next = argv[presetAt + 1];
    if (!a.includes('=') && (next === undefined || next.startsWith('-'))) {
      throw new ConfigError(`--preset needs a value; presets: ${Object.keys(presets).join(', ') || 'none'}`, 'preset');
    }
    preset = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (next as string);
    argv = argv.filter((_, i) => i !== presetAt && !(i === presetAt + 1 && !a.includes('=')));
  }
  if (preset !== null) {
    const p = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
    if (!p) throw new ConfigError(`unknown preset ${preview(preset)}; presets: ${Object.keys(presets).join(', ') || 'none'}`, 'preset');
    for (const [section, values] of Object.entries(p)) fromFile[section] = Object.assign(bare(), values);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      // Everything after `--` is a word, not an option (a folder named --x, say).
      const words = argv.slice(i + 1);
      if (words.length > 0 && !takesPositionals) {
        throw new ConfigError(`unexpected argument ${preview(words[0])} after -- for \`lnas ${command}\`: it takes options only; run \`lnas ${command} --help\` for the list`, command);
      }
      positionals.push(...words);
      break;
    }
    if (arg === '--help' || arg === '-h') { help = true; continue; }
    if (arg.startsWith('-') && !arg.startsWith('--') && arg.length > 1) {
      throw new ConfigError(`unknown option ${preview(arg)} for \`lnas ${command}\`: lnas takes long options only (e.g. --epochs 1); run \`lnas ${command} --help\` for the list`, arg);
    }
    if (!arg.startsWith('--')) {
      if (!takesPositionals) {
        throw new ConfigError(`unexpected argument ${preview(arg)} for \`lnas ${command}\`: it takes options only (--name value); run \`lnas ${command} --help\` for the list`, command);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`--${name} needs a value`, name);
      i++;
      return next;
    };
    if (name === 'config') {
      for (const [section, values] of Object.entries(readConfigFile(takeValue(), sections))) fromFile[section] = Object.assign(bare(), fromFile[section], values);
      continue;
    }
    const negated = name.startsWith('no-') && flagIndex.get(name.slice(3))?.[2].kind === 'bool';
    const hit = flagIndex.get(negated ? name.slice(3) : name);
    if (!hit) {
      const hint = didYouMean(name, [...flagIndex.keys(), 'config', 'preset', 'help'], '--');
      throw new ConfigError(`unknown option --${clip(name)} for \`lnas ${command}\`${hint}; run \`lnas ${command} --help\` for the list`, name.slice(0, 80));
    }
    const [section, key, field] = hit;
    const path = `${section}.${key}`;
    if (field.kind === 'bool' && inline === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-') && !BOOL_WORD.test(next) && !takesPositionals) {
        throw new ConfigError(`--${name} takes true or false, or no value; got ${preview(next)}`, path);
      }
      if (next === undefined || next.startsWith('-') || !BOOL_WORD.test(next)) {
        (partial[section] as Record<string, unknown>)[key] = !negated;
        continue;
      }
    }
    (partial[section] as Record<string, unknown>)[key] = parseFlagValue(field, takeValue(), path);
  }
  const config = {} as Record<string, unknown>;
  for (const [section, schema] of Object.entries(sections)) {
    config[section] = resolve(schema, Object.assign(bare(), fromFile[section], partial[section]), section);
  }
  return { config: config as Parsed<S>, positionals, help, preset };
}

const BOOL_WORD = /^(true|false|1|0|yes|no)$/;

/** Whether a config file is YAML (by its extension); anything else is read as JSON. */
export const isYamlPath = (path: string): boolean => /\.ya?ml$/i.test(path);

/**
 * A config file's object: JSON, or YAML for .yaml/.yml files. YAML is read with the core schema
 * (no custom tags, so nothing in the file can make the parser build objects or run code), at
 * most 100 aliases (no alias bombs) and unique keys. A top-level `$schema` (an editor's pointer
 * to `lnas schema` output) is not an option and is dropped.
 */
export function readConfigText(text: string, path: string): unknown {
  if (!isYamlPath(path)) return JSON.parse(text) as unknown;
  const doc = parseDocument(text, { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: true, logLevel: 'silent' });
  // An unknown tag (!!js/function, !foo) is a warning to the parser, which would keep the plain value; here it is an error.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new Error(problem.message);
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

function readConfigFile(path: string, sections: Sections): Record<string, Record<string, unknown>> {
  let json: unknown;
  const format = isYamlPath(path) ? 'YAML' : 'JSON';
  try { json = readConfigText(readFileSync(path, 'utf8'), path); } catch (e) {
    throw new ConfigError(`cannot read config file ${path} (${format}): ${(e as Error).message.slice(0, 300)}`, 'config');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(`config file ${path} must hold a ${format} object {section: {option: value}}`, 'config');
  json = Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema'));
  for (const [k, v] of Object.entries(json as object)) {
    if (!Object.hasOwn(sections, k)) throw new ConfigError(`config file ${path}: unknown section ${preview(k)}${didYouMean(k, Object.keys(sections))}; sections are ${Object.keys(sections).join(', ')}`, k.slice(0, 80));
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`config file ${path}: section "${k}" must be an object`, k);
  }
  return json as Record<string, Record<string, unknown>>;
}

export function helpText(command: string, summary: string, sections: Sections, usage = '', prefixed: readonly string[] = []): string {
  const lines = [`Usage: lnas ${command} ${usage}[options]`, '', summary, ''];
  const names = [...flagNames(sections, prefixed)];
  for (const section of Object.keys(sections)) {
    lines.push(`${section}:`);
    for (const [name, [owner, , f]] of names) {
      if (owner !== section) continue;
      const def = f.kind === 'enum' ? `${f.values.join('|')}, default ${f.default}` : `default ${JSON.stringify(f.default)}`;
      lines.push(`  --${name.padEnd(22)} ${f.description} (${def})`);
    }
    lines.push('');
  }
  lines.push('  --config FILE            read options from a JSON or YAML (.yaml/.yml) file {section: {option: value}}; flags override it');
  lines.push(`                           (\`lnas schema ${command}\` prints its JSON Schema, for editors)`);
  lines.push('  --preset NAME            start from a named preset (see above); the config file and flags override it');
  return lines.join('\n');
}
