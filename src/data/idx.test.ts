import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataError } from '../errors.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxDataset, readIdxFile } from './idx.js';
import { DATASETS } from './specs.js';
import { channelStats } from './synthetic.js';
import { gzip, makeIdx } from './testing.js';
import { classCounts } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'lnas-idx-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const spec = DATASETS['fashion-mnist'];

function images(n: number, fill = (i: number) => i & 255): Uint8Array {
  const d = new Uint8Array(n * 784);
  for (let i = 0; i < d.length; i++) d[i] = fill(i);
  return d;
}

/** Writes a tiny Fashion-MNIST-shaped dataset; `gz` picks compressed or raw files. */
function writeSet(name: string, gz: boolean, trainLabels: number[], testLabels: number[]): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const put = (file: string, data: Uint8Array): void => {
    writeFileSync(join(dir, gz ? `${file}.gz` : file), gz ? gzip(data) : data);
  };
  put('train-images-idx3-ubyte', makeIdx(IDX_IMAGES_MAGIC, [trainLabels.length, 28, 28], images(trainLabels.length)));
  put('train-labels-idx1-ubyte', makeIdx(IDX_LABELS_MAGIC, [trainLabels.length], Uint8Array.from(trainLabels)));
  put('t10k-images-idx3-ubyte', makeIdx(IDX_IMAGES_MAGIC, [testLabels.length, 28, 28], images(testLabels.length, () => 7)));
  put('t10k-labels-idx1-ubyte', makeIdx(IDX_LABELS_MAGIC, [testLabels.length], Uint8Array.from(testLabels)));
  return dir;
}

function expectDataError(fn: () => unknown, code: string, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.equal(e.code, code);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" should mention "${f}"`);
    return true;
  });
}

describe('idx reader', () => {
  for (const gz of [true, false]) {
    test(`reads ${gz ? 'gzipped' : 'raw'} files`, () => {
      const dir = writeSet(`ok-${gz}`, gz, [1, 2, 9], [0, 5]);
      const ds = readIdxDataset(dir, spec, { trainSize: 3, testSize: 2 });
      assert.equal(ds.train.n, 3);
      assert.equal(ds.train.channels, 1);
      assert.deepEqual([...ds.train.labels], [1, 2, 9]);
      assert.equal(ds.train.images[784 + 5], (784 + 5) & 255);
      assert.equal(ds.test.images[100], 7);
      assert.deepEqual([...ds.test.labels], [0, 5]);
    });
  }

  test('image/label files swapped: wrong magic number', () => {
    const dir = writeSet('swap', true, [1, 2], [3]);
    const data = makeIdx(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 2]));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzip(data));
    expectDataError(() => readIdxDataset(dir, spec, { trainSize: 2, testSize: 1 }), 'LNAS_DATA_CORRUPT', 'train-images-idx3-ubyte.gz', 'magic number 2049', 'expected 2051');
  });

  test('truncated data and truncated gzip are both reported', () => {
    const full = makeIdx(IDX_IMAGES_MAGIC, [2, 28, 28], images(2));
    const raw = join(tmp, 'trunc-images');
    writeFileSync(raw, full.subarray(0, full.length - 1));
    expectDataError(() => readIdxFile(raw, IDX_IMAGES_MAGIC, 'X'), 'LNAS_DATA_CORRUPT', raw, 'truncated', '1,584');
    const gz = join(tmp, 'trunc-images.gz');
    const packed = gzip(full);
    writeFileSync(gz, packed.subarray(0, packed.length - 20));
    expectDataError(() => readIdxFile(gz, IDX_IMAGES_MAGIC, 'X'), 'LNAS_DATA_CORRUPT', gz, 'not a valid gzip');
  });

  test('count, shape and label checks', () => {
    const dir = writeSet('counts', false, [1, 2, 3], [0]);
    expectDataError(() => readIdxDataset(dir, spec), 'LNAS_DATA_CORRUPT', 'holds 3 images, expected 60,000');
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), makeIdx(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 2])));
    expectDataError(() => readIdxDataset(dir, spec, { trainSize: 3, testSize: 1 }), 'LNAS_DATA_CORRUPT', 'holds 2 labels');
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), makeIdx(IDX_LABELS_MAGIC, [3], Uint8Array.from([1, 12, 2])));
    expectDataError(() => readIdxDataset(dir, spec, { trainSize: 3, testSize: 1 }), 'LNAS_DATA_CORRUPT', 'label 12 at index 1');
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), makeIdx(IDX_IMAGES_MAGIC, [1, 32, 32], new Uint8Array(1024)));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), makeIdx(IDX_LABELS_MAGIC, [3], Uint8Array.from([1, 1, 2])));
    expectDataError(() => readIdxDataset(dir, spec, { trainSize: 3, testSize: 1 }), 'LNAS_DATA_CORRUPT', '32x32', 'expected 28x28');
  });

  test('a missing file is LNAS_DATA_MISSING', () => {
    const dir = writeSet('missing', true, [1], [1]);
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    expectDataError(() => readIdxDataset(dir, spec, { trainSize: 1, testSize: 1 }), 'LNAS_DATA_MISSING', 't10k-labels-idx1-ubyte.gz');
  });
});

const REAL = '/usr/share/datasets/fashion-mnist';
describe('Fashion-MNIST real data', { skip: !existsSync(REAL) && 'Fashion-MNIST not installed' }, () => {
  test('60,000 + 10,000 balanced images; spec mean/std match the data', () => {
    const ds = readIdxDataset(REAL, spec);
    assert.equal(ds.train.n, 60000);
    assert.equal(ds.test.n, 10000);
    assert.deepEqual(classCounts(ds.train), new Array(10).fill(6000));
    assert.deepEqual(classCounts(ds.test), new Array(10).fill(1000));
    const [mean, std] = channelStats(ds.train);
    assert.ok(Math.abs((mean[0] as number) - (spec.mean[0] as number)) < 5e-4, `mean ${mean[0]}`);
    assert.ok(Math.abs((std[0] as number) - (spec.std[0] as number)) < 5e-4, `std ${std[0]}`);
  });
});
