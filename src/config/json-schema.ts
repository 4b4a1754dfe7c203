// A JSON Schema (draft 2020-12) of a command's config file, generated from the same schemas that
// drive its flags: {section: {option: value}}, every option typed with its range, default and
// description, unknown sections and options refused. `lnas schema <command>` prints it, so an
// editor can check a config file (JSON, or YAML through a YAML language server).
import type { Field, Sections } from './schema.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

function fieldSchema(f: Field): Record<string, unknown> {
  const common = { description: f.description, default: f.default };
  switch (f.kind) {
    case 'number': return { type: f.integer ? 'integer' : 'number', ...(f.min === undefined ? {} : { minimum: f.min }), ...(f.max === undefined ? {} : { maximum: f.max }), ...common };
    case 'string': return { type: 'string', ...common };
    case 'optional-string': return { type: ['string', 'null'], ...common };
    case 'bool': return { type: 'boolean', ...common };
    case 'enum': return { enum: [...f.values], ...common };
    case 'list': return { type: 'array', items: { type: 'number', ...(f.min === undefined ? {} : { minimum: f.min }), ...(f.max === undefined ? {} : { maximum: f.max }) }, ...common };
  }
}

export function configJsonSchema(sections: Sections, o: { title: string; id?: string }): Record<string, unknown> {
  const properties: Record<string, unknown> = { $schema: { type: 'string', description: 'the schema this file follows (for editors; lnas ignores it)' } };
  for (const [name, schema] of Object.entries(sections)) {
    const props: Record<string, unknown> = {};
    for (const [key, f] of Object.entries(schema)) props[key] = fieldSchema(f);
    properties[name] = { type: 'object', additionalProperties: false, properties: props };
  }
  return { $schema: JSON_SCHEMA_DIALECT, ...(o.id ? { $id: o.id } : {}), title: o.title, type: 'object', additionalProperties: false, properties };
}
