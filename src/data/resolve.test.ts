import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, DataError } from '../errors.js';
import { ensureDataset, loadDataset, parseDatasetName } from './load.js';
import { defaultDataDir, locateDataset, resolveDataDir } from './resolve.js';
import { DATASETS } from './specs.js';

const tmp = mkdtempSync(join(tmpdir(), 'lnas-resolve-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function touch(dir: string, files: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), 'x');
}

describe('data directory resolution', () => {
  test('flag > LNAS_DATA_DIR > ~/.cache/lnas/datasets', () => {
    assert.equal(resolveDataDir('/a/b', { LNAS_DATA_DIR: '/env' }), '/a/b');
    assert.equal(resolveDataDir(undefined, { LNAS_DATA_DIR: '/env' }), '/env');
    assert.equal(resolveDataDir('', { LNAS_DATA_DIR: '  ' }), defaultDataDir());
    assert.equal(defaultDataDir(), join(homedir(), '.cache', 'lnas', 'datasets'));
    assert.equal(resolveDataDir('~/data', {}), join(homedir(), 'data'));
    assert.equal(resolveDataDir('rel', {}), join(process.cwd(), 'rel'));
  });

  test('known folder names, the data dir itself, and partial copies', () => {
    const c10 = DATASETS.cifar10;
    const d1 = join(tmp, 'd1');
    touch(join(d1, 'cifar-10-jpegq75-batches-bin'), c10.files);
    assert.deepEqual(locateDataset(c10, d1), { status: 'found', dir: join(d1, 'cifar-10-jpegq75-batches-bin') });
    // The official name wins when both exist.
    touch(join(d1, 'cifar-10-batches-bin'), c10.files);
    assert.deepEqual(locateDataset(c10, d1), { status: 'found', dir: join(d1, 'cifar-10-batches-bin') });
    // Pointing the data dir straight at the files works too.
    assert.deepEqual(locateDataset(c10, join(d1, 'cifar-10-jpegq75-batches-bin')).status, 'found');

    const d2 = join(tmp, 'd2');
    touch(join(d2, 'cifar-10-batches-bin'), c10.files.slice(0, 4));
    const partial = locateDataset(c10, d2);
    assert.equal(partial.status, 'partial');
    assert.deepEqual(partial.status === 'partial' && partial.missing, ['data_batch_5.bin', 'test_batch.bin']);
    mkdirSync(join(tmp, 'd3', 'cifar-10-batches-bin'), { recursive: true });
    assert.equal(locateDataset(c10, join(tmp, 'd3')).status, 'absent', 'an empty folder can be downloaded into');
  });

  test('idx datasets accept raw or gzipped files and torchvision layout', () => {
    const spec = DATASETS.mnist;
    const d = join(tmp, 'd4');
    touch(join(d, 'MNIST', 'raw'), ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    assert.deepEqual(locateDataset(spec, d, { systemDirs: false }), { status: 'found', dir: join(d, 'MNIST', 'raw') });
  });

  test('incomplete folder or download off: LNAS_DATA_MISSING saying what to do', async () => {
    await assert.rejects(ensureDataset('cifar10', { dataDir: join(tmp, 'd2') }), (e: unknown) =>
      e instanceof DataError && e.code === 'LNAS_DATA_MISSING' && /lacks data_batch_5\.bin, test_batch\.bin/.test(e.message) && /delete the folder/.test(e.message));
    const empty = join(tmp, 'empty');
    await assert.rejects(ensureDataset('cifar100', { dataDir: empty, download: false }), (e: unknown) =>
      e instanceof DataError && e.code === 'LNAS_DATA_MISSING' && e.message.includes(join(empty, 'cifar-100-binary', 'train.bin')) &&
      e.message.includes('cifar-100-binary.tar.gz'));
    assert.equal(existsSync(empty), false, 'nothing created');
  });

  test('dataset names', () => {
    assert.equal(parseDatasetName('CIFAR-10'), 'cifar10');
    assert.equal(parseDatasetName('fashion_mnist'), 'fashion-mnist');
    assert.throws(() => parseDatasetName('imagenet'), ConfigError);
  });
});

const SHARED = '/work/shared/data';
describe('loading the real data', () => {
  test('CIFAR-10 from the shared folder via its jpegq75 name', { skip: !existsSync(join(SHARED, 'cifar-10-jpegq75-batches-bin')) && 'absent' }, async () => {
    const ds = await loadDataset('cifar10', { dataDir: SHARED, download: false });
    assert.equal(ds.train.n, 50000);
    assert.equal(ds.test.n, 10000);
  });

  test('Fashion-MNIST from /usr/share/datasets when the data dir lacks it', { skip: !existsSync('/usr/share/datasets/fashion-mnist') && 'absent' }, async () => {
    const dir = await ensureDataset('fashion-mnist', { dataDir: join(tmp, 'nothing-here'), download: false });
    assert.equal(dir, '/usr/share/datasets/fashion-mnist');
  });
});
