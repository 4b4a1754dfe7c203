import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../errors.js';
import { archToGenome, genomeToArch } from './arch-string.js';
import { codeToGenome, NB201_CELLS } from './ops.js';
import { loadNb201Table, parseNb201Csv } from './table.js';

const REAL = join(process.env['LNAS_DATA_DIR'] ?? '/work/shared/data', 'nasbench201', 'nb201_full.csv');
const HEADER = 'index,arch_str,cifar10_valid_acc,cifar10_test_acc,cifar100_test_acc,imagenet16_test_acc,params_mb_cifar10,flops_m_cifar10_analytic,n_seeds';

/** A complete synthetic table: valid acc = code / 1000, so lookups are checkable. */
function syntheticLines(): string[] {
  const lines = [HEADER];
  for (let code = 0; code < NB201_CELLS; code++) {
    lines.push(`${NB201_CELLS - 1 - code},${genomeToArch(codeToGenome(code))},${code / 1000},${code / 2000},1.5,2.5,0.1,${code % 100},3`);
  }
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'nb201-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function expectBad(lines: string[], line: number, msg: RegExp): void {
  const path = join(dir, 'bad.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  assert.throws(() => loadNb201Table(path), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.code, 'LNAS_NB201_TABLE');
    assert.match(e.message, new RegExp(`bad\\.csv:${line}: `));
    assert.match(e.message, msg);
    return true;
  });
}

test('a complete synthetic table loads and looks cells up by genome', () => {
  const t = parseNb201Csv(syntheticLines().join('\r\n'), 'synthetic.csv');
  const r = t.row(codeToGenome(1234));
  assert.equal(r.cifar10Valid, 1.234);
  assert.equal(r.cifar10Test, 0.617);
  assert.equal(r.index, NB201_CELLS - 1 - 1234);
  assert.equal(r.flopsM, 34);
});

test('corrupt tables are DataErrors naming the file and line', () => {
  const good = syntheticLines();
  expectBad(good.slice(0, 5000), 5000, /found 4999 cells, expected all 15,625/);
  const cut = [...good.slice(0, 300), (good[300] as string).slice(0, 40)];
  expectBad(cut, 301, /expected 9 fields, found 2/);
  expectBad([HEADER.replace('cifar10_valid_acc', 'valid'), ...good.slice(1)], 1, /lacks column 'cifar10_valid_acc'/);
  const nonNumeric = [...good];
  nonNumeric[42] = (nonNumeric[42] as string).replace(/,3$/, ',three');
  expectBad(nonNumeric, 43, /column 'n_seeds' is not a number: 'three'/);
  const empty = [...good];
  empty[7] = (empty[7] as string).replace(/,1\.5,/, ',,');
  expectBad(empty, 8, /'cifar100_test_acc' is not a number/);
  const dup = [...good];
  dup[10] = (dup[9] as string);
  expectBad(dup, 11, /already appears on line 10/);
  const badArch = [...good];
  badArch[3] = (badArch[3] as string).replace('none~0', 'conv~0');
  expectBad(badArch, 4, /bad arch_str: .*unknown operation 'conv'/);
});

test('a missing file is a DataError that says which directory to pass', () => {
  assert.throws(() => loadNb201Table(join(dir, 'nope', 'nb201_full.csv')),
    (e: unknown) => e instanceof DataError && e.code === 'LNAS_DATA_MISSING' && /data directory/.test(e.message));
});

test('the real table matches the figures in shared/data/README.md', { skip: existsSync(REAL) ? false : `NAS-Bench-201 table not found at ${REAL}; set LNAS_DATA_DIR` }, () => {
  const t = loadNb201Table(REAL);
  const allSkip = t.row(archToGenome('|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|'));
  assert.equal(Math.round(allSkip.cifar10Test * 100) / 100, 54.3);
  assert.equal(Math.max(...t.column('cifar10Test')).toFixed(2), '94.37');
  // Two cells tie at 94.37 on test; index 6111 is also the best on cifar10-valid (91.61).
  const valid = t.column('cifar10Valid');
  let best = 0;
  for (let c = 0; c < valid.length; c++) if ((valid[c] as number) > (valid[best] as number)) best = c;
  const row = t.row(codeToGenome(best));
  assert.equal(row.index, 6111);
  assert.equal(row.cifar10Valid.toFixed(2), '91.61');
  assert.equal(row.cifar10Test.toFixed(2), '94.37');
  assert.equal(loadNb201Table(REAL), t, 'second load should come from the cache');
});
