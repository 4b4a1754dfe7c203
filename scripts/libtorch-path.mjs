// Resolves where libtorch lives, for binding.gyp and the install check.
// Order: $LIBTORCH (a libtorch distribution with include/ and lib/), then Debian's libtorch-dev.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function findLibtorch() {
  const root = process.env.LIBTORCH;
  if (root) {
    const include = join(root, 'include');
    const api = join(include, 'torch', 'csrc', 'api', 'include');
    const lib = join(root, 'lib');
    if (!existsSync(join(api, 'torch', 'torch.h')) || !existsSync(lib)) {
      return { error: `LIBTORCH=${root} is not a libtorch distribution: expected ${api}/torch/torch.h and ${lib}/` };
    }
    return { include, api, lib };
  }
  const debian = { include: '/usr/include', api: '/usr/include/torch/csrc/api/include', lib: '/usr/lib/x86_64-linux-gnu' };
  if (existsSync(join(debian.api, 'torch', 'torch.h')) && existsSync(join(debian.lib, 'libtorch_cpu.so'))) return debian;
  return { error: 'libtorch was not found.' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findLibtorch();
  if ('error' in found) { console.error(found.error); process.exit(1); }
  const key = process.argv[2];
  process.stdout.write(key === 'include' ? found.include : key === 'include-api' ? found.api : found.lib);
}
