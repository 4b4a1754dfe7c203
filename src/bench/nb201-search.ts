// `lnas bench nb201-search`: weight-sharing search quality on NAS-Bench-201 by table lookup.
// One method (DARTS-V1, DARTS-V2 or Variant 2 at a sparsity) over S seeds (the repeats), each seed
// a resumable `lnas search --space nb201` run executed as an independent trial on the executor in
// use: the local worker pool (seeds in parallel, one thread each by default) or, with
// `--executor queue`, `lnas worker` processes on any machine; the result is one JSON object with the derived cells and the mean ±
// sample std of their test accuracies per dataset, beside the published numbers.
import { join } from 'node:path';
import { defaults, resolve } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { configHash } from '../runs/identity.js';
import { type ExecutorConfig, ExecutorSchema, createExecutor } from '../workers/executor.js';
import { runDirFor } from '../runs/paths.js';
import type { TrialContext } from '../workers/trial.js';
import { SearchSchema, type SearchConfig } from '../search/darts/config.js';
import { searchIdentity } from '../search/darts/search-job.js';
import { NB201_SEARCH_PRESETS } from '../search/nb201/presets.js';
import { type Nb201SearchJob, type Nb201SearchSummary, methodName, runNb201Search } from '../search/nb201/search-job.js';
import { type DataConfig, DataSchema } from '../data/config.js';
import { RuntimeSchema } from '../train/config.js';

export const NB201_SEARCH_METHODS = ['darts1', 'darts2', 'v2'] as const;
export type Nb201SearchMethod = (typeof NB201_SEARCH_METHODS)[number];

/** CIFAR-10 test accuracy, mean ± std, of published weight-sharing searches on this space. */
export const NB201_PUBLISHED = {
  'DARTS-V1': '54.30±0.00', 'DARTS-V2': '54.30±0.00', SETN: '87.64', 'PC-DARTS': '93.41±0.30', GDAS: '93.61±0.09', iDARTS: '93.58', DrNAS: '94.36±0.00',
} as const;

export interface Nb201SearchBenchOptions {
  method: Nb201SearchMethod;
  /** Variant 2's final α sparsity (v2 only). */
  sparsity?: number;
  seeds: number;
  /** Seed of the first run; run i uses seed + i. */
  seed: number;
  preset: string;
  /** Overrides the preset's search epochs (0: keep). */
  epochs?: number;
  /** Any other search options over the preset (e.g. alphaLr, alphaWarmup). */
  search?: Partial<SearchConfig>;
  workers: number;
  threads: number;
  /** Where the seeds run (default: the local pool with `workers` × `threads`). */
  executor?: ExecutorConfig;
  runsDir: string;
  dataDir?: string | null;
  log?: ((line: string) => void) | undefined;
}

export interface Nb201SeedResult {
  seed: number; arch: string; cifar10_test: number; cifar100_test: number; imagenet16_test: number; params_mb: number; flops_m: number;
  skip_count: number; connected: boolean; alpha_entropy: number; peak_epoch: number; peak_cifar10_test: number; search_seconds: number;
  wall_seconds: number; run_dir: string;
  /** CIFAR-10 test accuracy of the derived cell after each epoch. */
  curve: number[];
}

/** The search job of seed `seed` under these options. */
export function nb201BenchJob(o: Nb201SearchBenchOptions, seed: number): Nb201SearchJob {
  const preset = NB201_SEARCH_PRESETS[o.preset];
  if (!preset) throw new ConfigError(`unknown preset '${o.preset}'; use one of ${Object.keys(NB201_SEARCH_PRESETS).join(', ')}`, 'bench.preset');
  if (!(NB201_SEARCH_METHODS as readonly string[]).includes(o.method)) throw new ConfigError(`unknown method '${o.method}'; use one of ${NB201_SEARCH_METHODS.join(', ')}`, 'bench.method');
  const sparsity = o.sparsity ?? 0;
  if (o.method === 'v2' && !(sparsity > 0)) throw new ConfigError('--method v2 needs --sparsity p in (0, 0.95]', 'bench.sparsity');
  if (o.method !== 'v2' && sparsity > 0) throw new ConfigError(`--sparsity is Variant 2's; --method ${o.method} does not prune α (use --method v2)`, 'bench.sparsity');
  const search = resolve(SearchSchema, {
    ...preset.search, ...o.search, ...(o.epochs ? { epochs: o.epochs } : {}),
    order: o.method === 'darts2' ? 2 : 1, alphaSparsity: o.method === 'v2' ? sparsity : 0, seed,
  }, 'search');
  const data: DataConfig = resolve(DataSchema, { ...preset.data, ...(o.dataDir ? { dataDir: o.dataDir } : {}) }, 'data');
  return { data, search, runtime: { ...defaults(RuntimeSchema), threads: o.threads } };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: readonly number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)));
const stat = (v: readonly number[]) => ({ mean: mean(v), std: std(v) });

export async function runNb201SearchBench(o: Nb201SearchBenchOptions): Promise<Record<string, unknown>> {
  if (!Number.isInteger(o.seeds) || o.seeds < 1) throw new ConfigError('--seeds must be a positive integer', 'bench.seeds');
  const jobs = Array.from({ length: o.seeds }, (_, i) => nb201BenchJob(o, o.seed + i));
  const cfg = o.executor ?? defaults(ExecutorSchema);
  const local = cfg.executor === 'local';
  const started = performance.now();
  const dir = runDirFor(o.runsDir, 'bench-nb201-search', configHash({ jobs: jobs.map((j) => searchIdentity(j)) }));
  // Locally the seeds run in parallel, min(seeds, 2) at a time unless --workers says otherwise.
  const executor = createExecutor(cfg, { workers: local ? o.workers || Math.min(o.seeds, 2) : o.workers, threads: o.threads, dir: join(dir, 'trials'),
    runsDir: o.runsDir, ...(o.log ? { log: o.log } : {}) });
  let results: Nb201SeedResult[];
  try {
    results = await Promise.all(jobs.map((job) => executor.submit<Nb201SeedResult>({
      id: `seed${job.search.seed}`, module: 'bench/nb201-search.js', export: 'nb201SearchTrial', payload: { job, runsDir: o.runsDir },
    }).then((r) => { o.log?.(`seed ${r.seed}: ${r.arch} CIFAR-10 ${r.cifar10_test.toFixed(2)}% (peak ${r.peak_cifar10_test.toFixed(2)}% at epoch ${r.peak_epoch}), ${r.wall_seconds.toFixed(0)} s`); return r; })));
  } finally {
    await executor.close();
  }
  const s = jobs[0]!.search;
  const col = (k: 'cifar10_test' | 'cifar100_test' | 'imagenet16_test' | 'peak_cifar10_test' | 'search_seconds' | 'wall_seconds') => results.map((r) => r[k]);
  return {
    bench: 'nb201-search', method: o.method, name: methodName(s), sparsity: s.alphaSparsity, preset: o.preset, epochs: s.epochs,
    seeds: results.map((r) => r.seed), executor: executor.description, workers: local ? executor.workers : null, threads: local ? executor.threads : null,
    supernet: { channels: s.channels, cells_per_stage: s.cellsPerStage, search_images: s.searchImages, batch: s.batchSize, alpha_lr: s.alphaLr,
      alpha_warmup: s.alphaWarmup, alpha_every: s.alphaEvery },
    cells: results.map((r) => r.arch),
    cifar10_test: stat(col('cifar10_test')), cifar100_test: stat(col('cifar100_test')), imagenet16_test: stat(col('imagenet16_test')),
    peak_cifar10_test: stat(col('peak_cifar10_test')), search_seconds: stat(col('search_seconds')), run_wall_seconds: stat(col('wall_seconds')),
    disconnected: results.filter((r) => !r.connected).length,
    bench_wall_seconds: (performance.now() - started) / 1000,
    published_cifar10_test: NB201_PUBLISHED,
    per_seed: results,
  };
}

/** Pool trial: one seed's search (resumed if its run folder has a checkpoint). */
export async function nb201SearchTrial(p: { job: Nb201SearchJob; runsDir: string }, ctx: TrialContext): Promise<Nb201SeedResult> {
  const t0 = performance.now();
  const s: Nb201SearchSummary = await runNb201Search({ ...p.job, runtime: { ...p.job.runtime, threads: ctx.threads } }, { runsDir: p.runsDir, progress: ctx.progress });
  return {
    seed: p.job.search.seed, arch: s.arch, cifar10_test: s.cifar10_test, cifar100_test: s.cifar100_test, imagenet16_test: s.imagenet16_test,
    params_mb: s.params_mb, flops_m: s.flops_m, skip_count: s.skip_count, connected: s.connected, alpha_entropy: s.alpha_entropy,
    peak_epoch: s.peak_epoch, peak_cifar10_test: s.peak_cifar10_test, search_seconds: s.search_seconds, wall_seconds: (performance.now() - t0) / 1000,
    run_dir: s.run_dir, curve: s.history.map((m) => Number(m.cifar10_test)),
  };
}
