// Presets are typed from the schemas: the @ts-expect-error lines below must be compile errors, or
// this file (and with it the build) fails to compile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SearchSchema } from '../search/darts/config.js';
import { SEARCH_PRESETS } from '../search/darts/presets.js';
import { DataSchema } from '../data/config.js';
import type { PresetOf } from './schema.js';

const sections = { data: DataSchema, search: SearchSchema } as const;

test('a preset key or value that the schemas do not have fails to compile', () => {
  const ok: PresetOf<typeof sections> = { search: { epochs: 3 }, data: { dataset: 'cifar10' } };
  // @ts-expect-error a misspelled field
  const typo: PresetOf<typeof sections> = { search: { epocs: 3 } };
  // @ts-expect-error a value of the wrong type
  const wrongType: PresetOf<typeof sections> = { search: { epochs: 'three' } };
  // @ts-expect-error a section the command does not have
  const section: PresetOf<typeof sections> = { optim: { lr: 0.1 } };
  // @ts-expect-error an enum value outside the enum
  const badEnum: PresetOf<typeof sections> = { data: { dataset: 'mnist-typo' } };
  assert.equal(ok.search?.epochs, 3);
  assert.ok(typo && wrongType && section && badEnum);
  assert.equal(SEARCH_PRESETS.quick?.search?.epochs, 2);
});
