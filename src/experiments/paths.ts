// Every path of a run folder lives here.
import { join } from 'node:path';

export const runPaths = (dir: string) => ({
  dir,
  config: join(dir, 'config.json'),
  metrics: join(dir, 'metrics.jsonl'),
  checkpoint: join(dir, 'checkpoint.safetensors'),
  final: join(dir, 'model.safetensors'),
  summary: join(dir, 'summary.json'),
  report: join(dir, 'report.md'),
  genotypeJson: join(dir, 'genotype.json'),
  genotypeText: join(dir, 'genotype.txt'),
  cellSvg: (cell: 'normal' | 'reduce') => join(dir, `cell-${cell}.svg`),
  stage: (name: string) => join(dir, name),
});

export type RunPaths = ReturnType<typeof runPaths>;

export function runDirFor(root: string, kind: string, hash: string): string {
  return join(root, `${kind}-${hash}`);
}
