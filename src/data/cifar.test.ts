import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError } from '../errors.js';
import { readCifar10, readCifar100 } from './cifar.js';
import { makeCifarRecords } from './testing.js';
import { checkImageSet, classCounts } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'lnas-cifar-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cifar10Dir(name: string, labels: number[][], test: number[]): string {
  const dir = join(tmp, name);
  freshDir(dir);
  labels.forEach((l, i) => writeFileSync(join(dir, `data_batch_${i + 1}.bin`), makeCifarRecords(l)));
  writeFileSync(join(dir, 'test_batch.bin'), makeCifarRecords(test));
  return dir;
}

function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

function expectDataError(fn: () => unknown, code: string, ...fragments: (string | RegExp)[]): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DataError, `expected DataError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  for (const f of fragments) assert.match(caught.message, typeof f === 'string' ? new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : f);
  return caught;
}

describe('CIFAR-10 reader', () => {
  const good = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

  test('reads records in file order with CHW pixels untouched', () => {
    const dir = cifar10Dir('good', good, [9, 0]);
    const ds = readCifar10(dir, { recordsPerFile: 2 });
    assert.equal(ds.train.n, 10);
    assert.deepEqual([...ds.train.labels], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...ds.test.labels], [9, 0]);
    checkImageSet(ds.train, 'train');
    // Record 1 of data_batch_3 is train image 5; its pixel j was (1*7 + j) & 255.
    assert.equal(ds.train.images[5 * 3072 + 1024], (7 + 1024) & 255);
    assert.equal(ds.train.images[5 * 3072 + 3071], (7 + 3071) & 255);
    assert.deepEqual(ds.mean, [0.4914, 0.4822, 0.4465]);
  });

  test('a truncated batch file is a DataError naming the file', () => {
    const dir = cifar10Dir('trunc', good, [1, 2]);
    const full = makeCifarRecords([0, 1]);
    writeFileSync(join(dir, 'data_batch_4.bin'), full.subarray(0, full.length - 100));
    const e = expectDataError(() => readCifar10(dir, { recordsPerFile: 2 }), 'LNAS_DATA_CORRUPT', 'data_batch_4.bin', 'truncated', '6,146');
    assert.equal(e.path, join(dir, 'data_batch_4.bin'));
  });

  test('official sizes are enforced by default', () => {
    const dir = cifar10Dir('small', good, [1, 2]);
    expectDataError(() => readCifar10(dir), 'LNAS_DATA_CORRUPT', 'data_batch_1.bin', '30,730,000');
  });

  test('a label outside 0..9 is reported with its record', () => {
    const dir = cifar10Dir('badlabel', good, [3, 10]);
    expectDataError(() => readCifar10(dir, { recordsPerFile: 2 }), 'LNAS_DATA_CORRUPT', 'record 1', 'test_batch.bin', 'label 10');
  });

  test('a missing file is LNAS_DATA_MISSING', () => {
    const dir = cifar10Dir('missing', good, [1, 2]);
    rmSync(join(dir, 'data_batch_2.bin'));
    expectDataError(() => readCifar10(dir, { recordsPerFile: 2 }), 'LNAS_DATA_MISSING', 'data_batch_2.bin');
  });
});

describe('CIFAR-100 reader', () => {
  function dir100(train: number[][], test: number[][]): string {
    const dir = join(tmp, `c100-${train.length}-${test.flat().join('-')}`);
    freshDir(dir);
    writeFileSync(join(dir, 'train.bin'), makeCifarRecords(train));
    writeFileSync(join(dir, 'test.bin'), makeCifarRecords(test));
    return dir;
  }

  test('keeps fine labels by default and coarse labels on request', () => {
    const dir = dir100([[3, 77], [19, 99], [0, 0]], [[5, 42]]);
    const fine = readCifar100(dir, { trainRecords: 3, testRecords: 1 });
    assert.equal(fine.train.classes, 100);
    assert.deepEqual([...fine.train.labels], [77, 99, 0]);
    assert.equal(fine.train.images[3072 + 10], (7 + 10) & 255);
    const coarse = readCifar100(dir, { trainRecords: 3, testRecords: 1, coarse: true });
    assert.equal(coarse.train.classes, 20);
    assert.deepEqual([...coarse.train.labels], [3, 19, 0]);
    assert.deepEqual([...coarse.test.labels], [5]);
  });

  test('a corrupt coarse label is caught even when using fine labels', () => {
    const dir = dir100([[3, 7], [20, 7]], [[1, 1]]);
    expectDataError(() => readCifar100(dir, { trainRecords: 2, testRecords: 1 }), 'LNAS_DATA_CORRUPT', 'coarse label 20', 'train.bin');
  });

  test('a wrong record count is reported', () => {
    const dir = dir100([[3, 7]], [[1, 1]]);
    expectDataError(() => readCifar100(dir), 'LNAS_DATA_CORRUPT', '153,700,000');
  });
});

const REAL = '/work/shared/data/cifar-10-jpegq75-batches-bin';
describe('CIFAR-10 real data', { skip: !existsSync(REAL) && 'real CIFAR-10 not present' }, () => {
  test('50,000 + 10,000 images, balanced classes', () => {
    const ds = readCifar10(REAL);
    assert.equal(ds.train.n, 50000);
    assert.equal(ds.test.n, 10000);
    assert.deepEqual(classCounts(ds.train), new Array(10).fill(5000));
    assert.deepEqual(classCounts(ds.test), new Array(10).fill(1000));
    // Mean of the red plane over the first 1000 images should be near DARTS' 0.4914.
    let s = 0;
    for (let i = 0; i < 1000; i++) for (let j = 0; j < 1024; j++) s += ds.train.images[i * 3072 + j] as number;
    assert.ok(Math.abs(s / 1024000 / 255 - 0.4914) < 0.02, `red mean ${s / 1024000 / 255}`);
  });
});
