import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { randn } from '../../tensor/creation.js';
import * as F from '../../tensor/functional.js';
import { scope } from '../../tensor/scope.js';
import { callT } from '../../tensor/tensor.js';

const child = fileURLToPath(new URL('./op-contract.child.js', import.meta.url));

test('op contract at 1–6 channels, both layouts, under heap checking with oneDNN capped at AVX2: no heap corruption', () => {
  // MALLOC_CHECK_=3 makes glibc abort on the first corrupted chunk it sees; ONEDNN_MAX_CPU_ISA
  // selects the AVX2 kernels (the ones that wrote out of bounds) even on AVX-512 machines.
  const r = spawnSync(process.execPath, [child, '40'], {
    env: { ...process.env, MALLOC_CHECK_: '3', ONEDNN_MAX_CPU_ISA: 'AVX2', DNNL_MAX_CPU_ISA: 'AVX2' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(r.signal, null, `child killed by ${r.signal}: ${r.stderr.slice(-2000)}`);
  assert.equal(r.status, 0, `child exited ${r.status}: ${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, /op contract: ok/);
});

test('1×1 strided convolution: the strided-slice form equals libtorch\'s strided kernel (NCHW, odd sizes, groups)', () => {
  for (const [h, w, s, groups] of [[8, 8, 2, 1], [7, 5, 2, 1], [9, 9, 3, 2], [6, 7, 2, 4]] as const) {
    scope(() => {
      const x = randn([2, 4, h, w]);
      const wt = randn([8, 4 / groups, 1, 1]);
      const b = randn([8]);
      const ours = F.conv2d(x, wt, b, { stride: s, groups });
      const theirs = callT('aten::conv2d', [x, wt, b, [s, s], [0, 0], [1, 1], groups]);
      assert.deepEqual(ours.shape, theirs.shape);
      assert.ok(ours.sub(theirs).abs().max().item() < 1e-5);
    });
  }
});
