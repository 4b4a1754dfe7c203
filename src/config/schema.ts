// Configs are schemas: every field has a type, a range, a default and a description. The TS
// type of a config is inferred from its schema, CLI flags are generated from it, and config
// files are validated against it (unknown keys and out-of-range values are ConfigErrors that
// name the field).
import { ConfigError } from '../errors.js';

interface Base<T> { readonly description: string; readonly default: T }
export interface NumberField extends Base<number> { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly integer?: boolean }
export interface StringField extends Base<string> { readonly kind: 'string'; readonly pattern?: RegExp; readonly expected?: string }
export interface BoolField extends Base<boolean> { readonly kind: 'bool' }
export interface EnumField<V extends string = string> extends Base<V> { readonly kind: 'enum'; readonly values: readonly V[] }
export interface ListField extends Base<readonly number[]> { readonly kind: 'list'; readonly min?: number; readonly max?: number }
export interface OptionalStringField extends Base<string | null> { readonly kind: 'optional-string' }
export type Field = NumberField | StringField | BoolField | EnumField | ListField | OptionalStringField;
export type Schema = Readonly<Record<string, Field>>;

export type ValueOf<F extends Field> = F extends EnumField<infer V> ? V : F['default'];
export type ConfigOf<S extends Schema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** A command's config: named sections, each a schema. */
export type Sections = Readonly<Record<string, Schema>>;

/**
 * A named starting point of a command's config, typed from its sections' schemas: a section or
 * field name that does not exist, or a value of the wrong type, fails to compile.
 */
export type PresetOf<S extends Sections> = { readonly [K in keyof S]?: Readonly<Partial<ConfigOf<S[K]>>> };

/** Any preset, as the flag parser reads it. */
export type Preset = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export const num = (description: string, def: number, o: { min?: number; max?: number } = {}): NumberField => ({ kind: 'number', description, default: def, ...o });
export const int = (description: string, def: number, o: { min?: number; max?: number } = {}): NumberField => ({ kind: 'number', integer: true, description, default: def, ...o });
export const str = (description: string, def: string): StringField => ({ kind: 'string', description, default: def });
export const optStr = (description: string): OptionalStringField => ({ kind: 'optional-string', description, default: null });
export const bool = (description: string, def: boolean): BoolField => ({ kind: 'bool', description, default: def });
export const oneOf = <const V extends string>(description: string, values: readonly V[], def: V): EnumField<V> => ({ kind: 'enum', description, values, default: def });
/**
 * The one device option of every command that trains: cpu, cuda, cuda:N or auto. Its default is
 * $LNAS_DEVICE when set (checked when the device is resolved), else cpu.
 */
export const deviceOption = (): StringField => ({
  kind: 'string', description: 'device: cpu, cuda, cuda:N or auto (cuda:0 when a CUDA device is visible; default $LNAS_DEVICE, else cpu)',
  default: process.env.LNAS_DEVICE || 'cpu', pattern: /^(cpu|auto|cuda(:\d+)?)$/, expected: 'cpu, cuda, cuda:N or auto',
});
export const list = (description: string, def: readonly number[], o: { min?: number; max?: number } = {}): ListField => ({ kind: 'list', description, default: def, ...o });

export function defaults<S extends Schema>(schema: S): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(schema)) out[k] = Array.isArray(f.default) ? [...f.default] : f.default;
  return out as ConfigOf<S>;
}

/** A value as a user wrote it, for an error message: JSON, non-finite numbers by name, at most about 80 characters. */
export function preview(value: unknown): string {
  let text: string;
  if (typeof value === 'number') text = String(value);
  else { try { text = JSON.stringify(value) ?? String(value); } catch { text = String(value); } }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** A user's text cut to about 80 characters for an error message. */
export const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/** Validates one value (from JSON or a parsed flag) against its field. */
export function checkValue(f: Field, value: unknown, path: string): unknown {
  const fail = (what: string): never => { throw new ConfigError(`${path}: ${what} (${f.description})`, path); };
  const got = preview;
  switch (f.kind) {
    case 'number': {
      if (typeof value === 'number' && !Number.isFinite(value)) return fail(`expected a finite number, got ${value}`);
      if (typeof value !== 'number') return fail(`expected a number, got ${got(value)}`);
      if (f.integer && !Number.isInteger(value)) return fail(`expected an integer, got ${value}`);
      if (f.min !== undefined && value < f.min) return fail(`${value} is below the minimum ${f.min}`);
      if (f.max !== undefined && value > f.max) return fail(`${value} is above the maximum ${f.max}`);
      return value;
    }
    case 'string':
      if (typeof value !== 'string') return fail(`expected a string, got ${got(value)}`);
      return f.pattern && !f.pattern.test(value) ? fail(`expected ${f.expected ?? f.pattern.source}, got ${got(value)}`) : value;
    case 'optional-string': return value === null || typeof value === 'string' ? value : fail(`expected a string, got ${got(value)}`);
    case 'bool': return typeof value === 'boolean' ? value : fail(`expected true or false, got ${got(value)}`);
    case 'enum': return typeof value === 'string' && f.values.includes(value) ? value : fail(`expected one of ${f.values.join(', ')}, got ${got(value)}`);
    case 'list': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) return fail(`expected a list of numbers, got ${got(value)}`);
      for (const v of value as number[]) {
        if (f.min !== undefined && v < f.min) return fail(`${v} is below the minimum ${f.min}`);
        if (f.max !== undefined && v > f.max) return fail(`${v} is above the maximum ${f.max}`);
      }
      return value;
    }
  }
}

/** Parses a flag's text into the field's type. */
export function parseFlagValue(f: Field, text: string, path: string): unknown {
  switch (f.kind) {
    case 'number': {
      const v = Number(text);
      if (text.trim() === '' || Number.isNaN(v)) throw new ConfigError(`${path}: expected a number, got ${preview(text)}`, path);
      return checkValue(f, v, path);
    }
    case 'bool':
      if (['true', '1', 'yes'].includes(text)) return true;
      if (['false', '0', 'no'].includes(text)) return false;
      throw new ConfigError(`${path}: expected true or false, got ${preview(text)}`, path);
    case 'list': return checkValue(f, text.split(',').map((s) => Number(s.trim())), path);
    case 'optional-string': return text === '' ? null : text;
    default: return checkValue(f, text, path);
  }
}

/** Merges a partial config object into defaults, rejecting unknown keys and bad values. */
export function resolve<S extends Schema>(schema: S, partial: Record<string, unknown>, prefix = ''): ConfigOf<S> {
  const out = defaults(schema) as Record<string, unknown>;
  for (const [k, v] of Object.entries(partial)) {
    // Own keys only: "constructor", "toString" or "__proto__" are not options of any schema.
    const f = Object.hasOwn(schema, k) ? schema[k] : undefined;
    const path = prefix ? `${prefix}.${k}` : k;
    if (!f) {
      throw new ConfigError(`unknown option ${preview(path)}; known options: ${Object.keys(schema).join(', ')}`, path.slice(0, 80));
    }
    out[k] = checkValue(f, v, path);
  }
  return out as ConfigOf<S>;
}

/** The config without values equal to their defaults, keys sorted: the basis of a run's identity. */
export function normalize<S extends Schema>(schema: S, config: ConfigOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(schema).sort()) {
    const v = (config as Record<string, unknown>)[k];
    if (JSON.stringify(v) !== JSON.stringify((schema[k] as Field).default)) out[k] = v;
  }
  return out;
}

export const kebab = (s: string): string => s.replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `-${c.toLowerCase()}`);
