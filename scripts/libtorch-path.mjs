// Resolves where libtorch lives, for binding.gyp and the install message.
// Order: $LIBTORCH (a libtorch distribution with include/ and lib/), then the libtorch inside a
// PyTorch install when LNAS_LIBTORCH_FROM_PYTORCH=1 (asks `python3 -c 'import torch'`; LNAS_PYTHON
// picks the interpreter), then Debian's libtorch-dev.
//
// `node scripts/libtorch-path.mjs KEY` prints one value for binding.gyp: include, include-api,
// lib, libs (the -l flags, CUDA libraries when present), defines, describe.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEBIAN_LIB = '/usr/lib/x86_64-linux-gnu';

/** TORCH_VERSION_{MAJOR,MINOR,PATCH} from torch/version.h, or null. */
export function headerVersion(api) {
  const file = join(api, 'torch', 'version.h');
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const part = (k) => Number((text.match(new RegExp(`#define TORCH_VERSION_${k}\\s+(\\d+)`)) ?? [])[1]);
  const [major, minor, patch] = ['MAJOR', 'MINOR', 'PATCH'].map(part);
  return Number.isFinite(major) && Number.isFinite(minor) ? { major, minor, patch: Number.isFinite(patch) ? patch : 0 } : null;
}

/** Where PyTorch's own libtorch is, by asking the Python interpreter. */
function fromPytorch() {
  const python = process.env.LNAS_PYTHON || 'python3';
  const code = [
    'import json, os, torch',
    'd = os.path.dirname(torch.__file__)',
    'print(json.dumps({"dir": d, "version": torch.__version__, "cuda": torch.version.cuda,',
    '  "abi": int(torch._C._GLIBCXX_USE_CXX11_ABI) if hasattr(torch._C, "_GLIBCXX_USE_CXX11_ABI") else None}))',
  ].join('\n');
  // Run from a neutral folder: a types.py or torch/ next to the caller would shadow the real modules.
  const r = spawnSync(python, ['-c', code], { cwd: tmpdir(), encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop();
    return { error: `LNAS_LIBTORCH_FROM_PYTORCH=1, but \`${python} -c 'import torch'\` failed: ${why}. Set LNAS_PYTHON to the Python that has PyTorch.` };
  }
  let info;
  try { info = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { return { error: `could not read PyTorch's location from ${python}: ${r.stdout.slice(0, 200)}` }; }
  const include = join(info.dir, 'include');
  const api = join(include, 'torch', 'csrc', 'api', 'include');
  const lib = join(info.dir, 'lib');
  if (!existsSync(join(api, 'torch', 'torch.h')) || !existsSync(lib)) {
    return { error: `PyTorch ${info.version} at ${info.dir} has no C++ headers (expected ${api}/torch/torch.h and ${lib}/)` };
  }
  return { source: `PyTorch ${info.version} (${python})`, root: info.dir, include, api, lib, abi: info.abi, pyVersion: info.version };
}

function fromDistribution(root) {
  const include = join(root, 'include');
  const api = join(include, 'torch', 'csrc', 'api', 'include');
  const lib = join(root, 'lib');
  if (!existsSync(join(api, 'torch', 'torch.h')) || !existsSync(lib)) {
    return { error: `LIBTORCH=${root} is not a libtorch distribution: expected ${api}/torch/torch.h and ${lib}/` };
  }
  // The official distributions say their C++ ABI in TorchConfig.cmake (pre-cxx11 builds exist).
  let abi = null;
  const cmake = join(root, 'share', 'cmake', 'Torch', 'TorchConfig.cmake');
  if (existsSync(cmake)) {
    const m = readFileSync(cmake, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=([01])/);
    if (m) abi = Number(m[1]);
  }
  return { source: `LIBTORCH=${root}`, root, include, api, lib, abi };
}

/** First existing folder with cuda_runtime_api.h: the CUDA toolkit, or the pip wheel's nvidia/cuda_runtime. */
function cudaRuntimeInclude(found) {
  const candidates = [
    process.env.CUDA_HOME && join(process.env.CUDA_HOME, 'include'),
    process.env.CUDA_PATH && join(process.env.CUDA_PATH, 'include'),
    join(found.include),
    join(found.root ?? '/nonexistent', '..', 'nvidia', 'cuda_runtime', 'include'),
    '/usr/local/cuda/include',
    '/usr/include',
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'cuda_runtime_api.h'))) ?? null;
}

export function findLibtorch() {
  let found;
  if (process.env.LIBTORCH) found = fromDistribution(process.env.LIBTORCH);
  else if (process.env.LNAS_LIBTORCH_FROM_PYTORCH === '1') found = fromPytorch();
  else {
    const debian = { source: 'Debian libtorch-dev', root: null, include: '/usr/include', api: '/usr/include/torch/csrc/api/include', lib: DEBIAN_LIB, abi: null };
    found = existsSync(join(debian.api, 'torch', 'torch.h')) && existsSync(join(debian.lib, 'libtorch_cpu.so'))
      ? debian : { error: 'libtorch was not found.' };
  }
  if ('error' in found) return found;
  found.version = headerVersion(found.api);
  const so = (name) => existsSync(join(found.lib, `lib${name}.so`));
  found.cuda = so('torch_cuda') && so('c10_cuda');
  found.libs = ['torch', 'torch_cpu', 'c10', ...(found.cuda ? ['torch_cuda', 'c10_cuda'] : [])];
  found.cudaInclude = found.cuda ? cudaRuntimeInclude(found) : null;
  return found;
}

export function versionText(v) { return v ? `${v.major}.${v.minor}.${v.patch}` : 'unknown version'; }

export function describe(found) {
  const cuda = found.cuda ? `with CUDA (torch_cuda, c10_cuda${found.cudaInclude ? '' : '; no CUDA runtime headers, so no allocator statistics'})` : 'CPU only';
  return `libtorch ${versionText(found.version)}, ${cuda}, from ${found.source} (${found.lib})`;
}

/** Preprocessor defines: the API generation and, for CUDA builds with headers, allocator statistics. */
export function defines(found) {
  const out = [`LNAS_WITH_CUDA=${found.cuda ? 1 : 0}`];
  if (found.abi !== null && found.abi !== undefined) out.push(`_GLIBCXX_USE_CXX11_ABI=${found.abi}`);
  if (found.cuda && found.cudaInclude && process.env.LNAS_NO_CUDA_STATS !== '1') out.push('LNAS_CUDA_ALLOCATOR_STATS=1');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findLibtorch();
  if ('error' in found) { console.error(found.error); process.exit(1); }
  const key = process.argv[2];
  const values = {
    include: found.include,
    'include-api': found.api,
    'include-cuda': found.cudaInclude ?? found.include,
    lib: found.lib,
    libs: found.libs.map((l) => `-l${l}`).join(' '),
    defines: defines(found).join(' '),
    describe: describe(found),
    json: JSON.stringify(found),
  };
  if (!(key in values)) { console.error(`usage: node scripts/libtorch-path.mjs ${Object.keys(values).join('|')}`); process.exit(2); }
  process.stdout.write(values[key]);
}
