import type { Command } from './commands.js';

export const benchCommand: Command = {
  summary: 'benchmarks (machine-readable JSON lines), side by side with PyTorch when installed',
  async run() {
    console.error('lnas bench: not yet available');
    return 2;
  },
};
