// --device plumbing on any machine: spec checking, typed errors that say what was found, auto,
// factories following the process's device, the option in every training command's schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { checkValue, deviceOption } from '../config/schema.js';
import { ConfigError, LnasError } from '../errors.js';
import { RuntimeSchema } from '../train/config.js';
import { ones, tensor, zeros } from './creation.js';
import { cudaDeviceCount, defaultDevice, deviceMemory, isDeviceSpec, resolveDevice, synchronize, useDevice, withDevice } from './device.js';
import { engineInfo } from './runtime.js';

const cuda = cudaDeviceCount();

test('device specs: cpu, cuda, cuda:N, auto; anything else is LNAS_DEVICE', () => {
  for (const s of ['cpu', 'cuda', 'cuda:0', 'cuda:12', 'auto']) assert.ok(isDeviceSpec(s), s);
  for (const s of ['gpu', 'CUDA', 'cuda:', 'cuda:x', 'mps', '']) {
    assert.ok(!isDeviceSpec(s), s);
    assert.throws(() => resolveDevice(s), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_DEVICE' && /cpu, cuda, cuda:N or auto/.test(e.message));
  }
  assert.equal(resolveDevice('cpu'), 'cpu');
  assert.equal(resolveDevice('auto'), cuda > 0 ? 'cuda:0' : 'cpu');
});

test('--device cuda without a CUDA device is LNAS_NO_CUDA and says what was found', { skip: cuda > 0 ? 'a CUDA device is present' : false }, () => {
  const info = engineInfo();
  assert.equal(info.cudaDevices, 0);
  assert.match(info.torchVersion, /^\d+\.\d+/);
  for (const s of ['cuda', 'cuda:0', 'cuda:3']) {
    assert.throws(() => useDevice(s), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_NO_CUDA' &&
      e.message.includes(`--device ${s}`) && e.message.includes(info.torchVersion) &&
      (info.cudaBuild ? /no CUDA device is visible/ : /without CUDA \(CPU only\)/).test(e.message));
  }
  assert.equal(defaultDevice(), 'cpu', 'a failed useDevice leaves the device as it was');
});

test('cuda:N beyond the visible devices is LNAS_DEVICE naming how many there are', { skip: cuda === 0 ? 'no CUDA device' : false }, () => {
  assert.throws(() => resolveDevice(`cuda:${cuda}`), (e: unknown) => e instanceof LnasError && e.code === 'LNAS_DEVICE' && e.message.includes(String(cuda)));
});

test('factories follow the process device; withDevice restores it; CPU memory figures', () => {
  assert.equal(useDevice('cpu'), 'cpu');
  assert.equal(zeros([2]).device, 'cpu');
  assert.equal(withDevice('auto', () => defaultDevice()), cuda > 0 ? 'cuda:0' : 'cpu');
  assert.equal(defaultDevice(), 'cpu');
  assert.throws(() => withDevice('gpu', () => 1), LnasError);
  assert.equal(defaultDevice(), 'cpu');
  const t = tensor([1, 2, 3], [3]);
  assert.equal(t.device, 'cpu');
  assert.deepEqual(ones([2], { device: 'cpu' }).toNumbers(), [1, 1]);
  synchronize('cpu');
  const m = deviceMemory('cpu');
  assert.equal(m.live, 0, 'no tensor lives off the CPU');
  if (!engineInfo().cudaBuild) assert.equal(m.allocated, null);
  t.dispose();
});

test('the device option: one schema field, validated like every option, in the runtime section', () => {
  assert.equal(RuntimeSchema.device.kind, 'string');
  assert.equal(checkValue(deviceOption(), 'cuda:1', 'runtime.device'), 'cuda:1');
  assert.throws(() => checkValue(deviceOption(), 'gpu', 'runtime.device'), (e: unknown) => e instanceof ConfigError && /expected cpu, cuda, cuda:N or auto, got "gpu"/.test(e.message));
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['dist/cli/main.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('every training command takes --device; a CUDA request on a CPU machine fails cleanly (flag and LNAS_DEVICE)', { skip: cuda > 0 ? 'a CUDA device is present' : false }, () => {
  for (const cmd of ['train', 'search', 'darts', 'sweep', 'evolve', 'bench']) {
    const help = cli([cmd, '--help']);
    assert.equal(help.status, 0, cmd);
    assert.match(help.stdout, /--device\s+device: cpu, cuda, cuda:N or auto/, `${cmd} --help lists --device`);
  }
  const runs = [cli(['train', '--dataset', 'synthetic', '--device', 'cuda']), cli(['train', '--dataset', 'synthetic'], { LNAS_DEVICE: 'cuda:0' }),
    cli(['bench', 'supernet', '--threads', '1', '--device', 'cuda'])];
  for (const r of runs) {
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /LNAS_NO_CUDA/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const bad = cli(['train', '--dataset', 'synthetic'], { LNAS_DEVICE: 'tpu' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /LNAS_DEVICE: expected cpu, cuda, cuda:N or auto, got "tpu"/);
});
