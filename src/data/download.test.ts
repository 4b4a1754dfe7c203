// The download path against a local HTTP server: good payloads, corrupt payloads, missing
// files, a server that is down or stalls. After every failure nothing may be left on disk.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataError } from '../errors.js';
import { readCifar10 } from './cifar.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxDataset } from './idx.js';
import { ensureDataset } from './load.js';
import { DATASETS, type DatasetSource } from './specs.js';
import { gzip, makeCifarRecords, makeIdx, makeTarGz, md5 } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'lnas-download-'));
const routes = new Map<string, Uint8Array | 'stall' | 'truncate' | { redirect: string }>();
const hits = new Map<string, number>();
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const r = routes.get(path);
    if (r === undefined) {
      res.writeHead(404).end('not found');
    } else if (r === 'stall') {
      // Never answer: the client's idle timeout must fire.
    } else if (r === 'truncate') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(new Uint8Array(1000), () => res.destroy());
    } else if (r instanceof Uint8Array) {
      res.writeHead(200, { 'content-length': String(r.length) }).end(r);
    } else {
      res.writeHead(302, { location: r.redirect }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

// A CIFAR-10-shaped archive with 2 records per file, plus members outside the folder.
const c10Files = DATASETS.cifar10.files;
const archive = makeTarGz([
  { name: 'cifar-10-batches-bin/' },
  ...c10Files.map((f, i) => ({ name: `cifar-10-batches-bin/${f}`, data: makeCifarRecords([i, (i + 1) % 10]) })),
  { name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\n') },
  { name: 'README', data: new Uint8Array(3) },
]);
const archiveSource = (path: string, url = base + path): DatasetSource => ({ kind: 'archive', urls: [url], md5: md5(archive), folder: 'cifar-10-batches-bin' });
const opts = { timeoutMs: 2000, systemDirs: false } as const;

function isDataError(code: string, ...fragments: string[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" should mention "${f}"`);
    return true;
  };
}

describe('dataset download', { timeout: 20000 }, () => {
  test('a good archive is verified, extracted and used; the second call does not download', async () => {
    routes.set('/c10.tar.gz', archive);
    const dataDir = join(tmp, 'good', 'nested');
    const dir = await ensureDataset('cifar10', { ...opts, dataDir, source: archiveSource('/c10.tar.gz') });
    assert.equal(dir, join(dataDir, 'cifar-10-batches-bin'));
    assert.deepEqual(readdirSync(dataDir), ['cifar-10-batches-bin'], 'no staging leftovers');
    const ds = readCifar10(dir, { recordsPerFile: 2 });
    assert.deepEqual([...ds.train.labels], [0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    assert.deepEqual([...ds.test.labels], [5, 6]);
    assert.equal(await ensureDataset('cifar10', { ...opts, dataDir, source: archiveSource('/c10.tar.gz') }), dir);
    assert.equal(hits.get('/c10.tar.gz'), 1);
  });

  test('a corrupted payload is rejected and leaves nothing on disk', async () => {
    const bad = archive.slice();
    bad[bad.length - 30] = (bad[bad.length - 30] as number) ^ 1;
    routes.set('/bad.tar.gz', bad);
    const dataDir = join(tmp, 'corrupt', 'data');
    await assert.rejects(
      ensureDataset('cifar10', { ...opts, dataDir, source: archiveSource('/bad.tar.gz') }),
      isDataError('LNAS_DATA_CHECKSUM', 'did not match its checksum', join(dataDir, 'cifar-10-batches-bin', 'data_batch_1.bin')),
    );
    assert.equal(existsSync(join(tmp, 'corrupt')), false, 'folders created for the download are removed');
    const existing = join(tmp, 'existing');
    mkdirSync(existing);
    await assert.rejects(ensureDataset('cifar10', { ...opts, dataDir: existing, source: archiveSource('/bad.tar.gz') }), DataError);
    assert.deepEqual(readdirSync(existing), []);
  });

  test('a 404 says which files to put where', async () => {
    const dataDir = join(tmp, 'missing');
    await assert.rejects(
      ensureDataset('cifar10', { ...opts, dataDir, source: archiveSource('/nope.tar.gz') }),
      isDataError('LNAS_DATA_DOWNLOAD', 'HTTP 404', '/nope.tar.gz', join(dataDir, 'cifar-10-batches-bin', 'test_batch.bin'), 'LNAS_DATA_DIR'),
    );
    assert.equal(existsSync(dataDir), false);
  });

  test('a server that is down gives the offline instructions', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const dataDir = join(tmp, 'down');
    await assert.rejects(
      ensureDataset('cifar10', { ...opts, dataDir, source: archiveSource('', `http://127.0.0.1:${port}/c.tar.gz`) }),
      isDataError('LNAS_DATA_DOWNLOAD', 'ECONNREFUSED', 'network access', join(dataDir, 'cifar-10-batches-bin', 'data_batch_5.bin')),
    );
    assert.equal(existsSync(dataDir), false);
  });

  test('a stalled or truncated transfer fails cleanly', async () => {
    routes.set('/stall.tar.gz', 'stall');
    routes.set('/trunc.tar.gz', 'truncate');
    for (const [path, why] of [['/stall.tar.gz', 'no data for 0.3 s'], ['/trunc.tar.gz', 'connection lost after 1000 of 100000 bytes']] as const) {
      const dataDir = join(tmp, path.slice(1, 6));
      await assert.rejects(
        ensureDataset('cifar10', { ...opts, timeoutMs: 300, dataDir, source: archiveSource(path) }),
        isDataError('LNAS_DATA_DOWNLOAD', why),
      );
      assert.equal(existsSync(dataDir), false);
    }
  });

  describe('idx files', () => {
    const spec = DATASETS['fashion-mnist'];
    const files = {
      'train-images-idx3-ubyte.gz': gzip(makeIdx(IDX_IMAGES_MAGIC, [3, 28, 28], new Uint8Array(3 * 784).fill(9))),
      'train-labels-idx1-ubyte.gz': gzip(makeIdx(IDX_LABELS_MAGIC, [3], Uint8Array.from([4, 5, 6]))),
      't10k-images-idx3-ubyte.gz': gzip(makeIdx(IDX_IMAGES_MAGIC, [1, 28, 28], new Uint8Array(784))),
      't10k-labels-idx1-ubyte.gz': gzip(makeIdx(IDX_LABELS_MAGIC, [1], Uint8Array.from([7]))),
    };
    const source = (bases: string[], breakOne = false): DatasetSource => ({
      kind: 'files',
      baseUrls: bases,
      files: Object.entries(files).map(([name, data], i) => ({ name, md5: breakOne && i === 2 ? '0'.repeat(32) : md5(data) })),
    });

    test('all files fetched (falling back to a mirror, following a redirect) and read', async () => {
      for (const [name, data] of Object.entries(files)) routes.set(`/mirror/${name}`, data);
      routes.set('/primary/train-labels-idx1-ubyte.gz', { redirect: '/mirror/train-labels-idx1-ubyte.gz' });
      const dataDir = join(tmp, 'fm');
      const dir = await ensureDataset('fashion-mnist', { ...opts, dataDir, source: source([`${base}/primary/`, `${base}/mirror/`]) });
      assert.equal(dir, join(dataDir, 'fashion-mnist'));
      const ds = readIdxDataset(dir, spec, { trainSize: 3, testSize: 1 });
      assert.deepEqual([...ds.train.labels], [4, 5, 6]);
      assert.equal(ds.train.images[100], 9);
    });

    test('one bad file discards the whole set', async () => {
      const dataDir = join(tmp, 'fm-bad');
      await assert.rejects(
        ensureDataset('fashion-mnist', { ...opts, dataDir, source: source([`${base}/mirror/`], true) }),
        isDataError('LNAS_DATA_CHECKSUM', 't10k-images-idx3-ubyte.gz', join(dataDir, 'fashion-mnist', 'train-images-idx3-ubyte.gz')),
      );
      assert.equal(existsSync(dataDir), false);
    });
  });
});
