// `lnas bench [small-cnn|mixed-edge|supernet|nb201|loader|export|latency|serve]`: machine-readable benchmarks.
// Without a target it runs the foundation set (small-cnn and mixed-edge at 1 and 2 threads).
// With --compare (default on for the foundation set) each measurement is repeated with
// PyTorch (Debian's python3-torch, scripts/bench/torch_reference.py) in the same run, one
// process per measurement so that peak RSS and thread settings do not leak between them.
import { RuntimeSchema } from '../../train/config.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bool, defaults, deviceOption, int, kebab, num, oneOf, optStr, type ConfigOf } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { helpText, parseArgs } from '../args.js';
import { type ExecutorConfig, ExecutorSchema } from '../../workers/executor.js';
import { type Command, runsDir } from '../command.js';

const BenchSchema = {
  C: int('supernet: initial channels', 8, { min: 1 }),
  layers: int('supernet: cells', 5, { min: 3 }),
  channels: int('mixed-edge: channels', 16, { min: 1 }),
  width: int('small-cnn: first conv width', 32, { min: 1 }),
  batch: int('batch size', 32, { min: 1 }),
  threads: int('libtorch threads (0: measure 1 and 2)', 0, { min: 0 }),
  device: deviceOption(),
  order: int('supernet: 1 or 2 (second-order architect step)', 1, { min: 1, max: 2 }),
  alphaSparsity: num('supernet: fraction of α entries masked (Variant 2 speed)', 0, { min: 0, max: 0.95 }),
  memoryFormat: RuntimeSchema.memoryFormat,
  warmup: int('warm-up iterations', 2, { min: 0 }),
  repeats: int('timed iterations (the median is reported)', 7, { min: 1 }),
  seed: int('seed', 0, { min: 0 }),
  compare: bool('also run PyTorch (python3-torch) on the same model, in the same run', true),
  json: bool('print JSON lines only', false),
  strategy: oneOf('nb201: search strategy', ['evolution', 'rea', 'random'], 'evolution'),
  runs: int('nb201: independent runs', 100, { min: 1 }),
  budget: int('nb201: distinct cells queried per run', 150, { min: 1 }),
  latencyDevice: optStr('nb201: a device of nasbench201/nb201_latency.csv (e.g. pixel3) for --max-latency-ms'),
  maxLatencyMs: num('nb201: latency budget in ms on --latency-device (0: none)', 0, { min: 0 }),
  folders: optStr('export, latency: run folders, comma-separated'),
  measurements: int('latency: measurements of the same model (each a fresh session)', 5, { min: 2 }),
  trials: int('serve: evolution trials in the synthetic runs folder', 10_000, { min: 1, max: 200_000 }),
  updates: int('serve: trials appended while a page watches (update latency)', 3, { min: 0 }),
  method: oneOf('nb201-search: darts1, darts2 (DARTS-V1/V2) or v2 (LNAS Variant 2, with --sparsity)', ['darts1', 'darts2', 'v2'], 'darts1'),
  sparsity: num('nb201-search: Variant 2\'s final α sparsity', 0, { min: 0, max: 0.95 }),
  seeds: int('nb201-search: seeds, run as parallel trials (seed, seed+1, ...)', 3, { min: 1 }),
  preset: oneOf('nb201-search: the search preset', ['nb201-quick', 'nb201-paper'], 'nb201-quick'),
  epochs: int('nb201-search: search epochs (0: the preset\'s)', 0, { min: 0 }),
  alphaLr: num('nb201-search: α learning rate (0: the preset\'s)', 0, { min: 0 }),
  alphaWarmup: int('nb201-search: weight-only epochs before α updates (-1: the preset\'s)', -1, { min: -1 }),
  alphaEvery: int('nb201-search: α update every N weight steps (0: the preset\'s)', 0, { min: 0 }),
  workers: int('nb201-search: parallel trials (0: min(seeds, 2) within the cores)', 0, { min: 0 }),
} as const;
type BenchConfig = ConfigOf<typeof BenchSchema>;
const sections = { bench: BenchSchema, executor: ExecutorSchema };

const TARGETS = ['small-cnn', 'mixed-edge', 'supernet', 'nb201', 'nb201-search', 'loader', 'export', 'latency', 'serve'] as const;
/** Measured in this process only: no PyTorch counterpart, one core (the loader), no libtorch at all (the table), trials on the pool (nb201-search) or a browser (serve). */
const IN_PROCESS: readonly Target[] = ['nb201', 'nb201-search', 'loader', 'serve'];
type Target = (typeof TARGETS)[number];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// The PyTorch side: Debian's python3-torch, or the Python that LNAS_PYTHON names.
const TORCH_PY = process.env.LNAS_PYTHON || '/usr/bin/python3';
const torchScript = join(root, 'scripts', 'bench', 'torch_reference.py');

export function torchAvailable(): boolean {
  if (!existsSync(TORCH_PY) || !existsSync(torchScript)) return false;
  return spawnSync(TORCH_PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

async function measureInProcess(target: Target, c: BenchConfig, threads: number, executor: ExecutorConfig): Promise<Record<string, unknown>> {
  const common = { threads, device: c.device, batch: c.batch, memoryFormat: c.memoryFormat, warmup: c.warmup, repeats: c.repeats, seed: c.seed };
  switch (target) {
    case 'small-cnn': return (await import('../../bench/models.js')).benchSmallCnn({ ...common, width: c.width });
    case 'mixed-edge': return (await import('../../bench/models.js')).benchMixedEdge({ ...common, channels: c.channels });
    case 'supernet': return (await import('../../bench/supernet.js')).benchSupernet({ ...common, channels: c.C, layers: c.layers, order: c.order as 1 | 2, alphaSparsity: c.alphaSparsity });
    case 'nb201-search': {
      const { runNb201SearchBench } = await import('../../bench/nb201-search.js');
      const search = { ...(c.alphaLr > 0 ? { alphaLr: c.alphaLr } : {}), ...(c.alphaWarmup >= 0 ? { alphaWarmup: c.alphaWarmup } : {}), ...(c.alphaEvery > 0 ? { alphaEvery: c.alphaEvery } : {}) };
      const queue = executor.executor === 'queue';
      return runNb201SearchBench({ method: c.method, sparsity: c.sparsity, seeds: c.seeds, seed: c.seed, preset: c.preset, epochs: c.epochs, search,
        workers: c.workers, threads: queue ? c.threads : threads, executor, runsDir: runsDir(), log: c.json ? undefined : (l) => console.error(l) });
    }
    case 'nb201': {
      const { runNb201Bench } = await import('../../bench/nb201.js');
      const dataDir = process.env.LNAS_DATA_DIR ?? join(process.env.HOME ?? '.', '.cache', 'lnas', 'datasets');
      const latency = c.latencyDevice === null ? {} : { latency: { path: join(dataDir, 'nasbench201', 'nb201_latency.csv'), device: c.latencyDevice, maxMs: c.maxLatencyMs } };
      const r = await runNb201Bench({ strategy: c.strategy, runs: c.runs, budget: c.budget, seed: c.seed, tablePath: join(dataDir, 'nasbench201', 'nb201_full.csv'), ...latency });
      const { per_run: _perRun, ...rest } = r as typeof r & { per_run?: unknown };
      return { impl: 'lnas', model: 'nb201', ...rest, published: { rea: '93.92±0.30', random: '93.70±0.36' } };
    }
    case 'loader': return (await import('../../bench/loader.js')).benchLoaders({ batch: c.batch, images: 30000, seed: c.seed });
    case 'export': case 'latency': throw new ConfigError(`bench ${target} runs in the command's own process`, 'target');
    case 'serve': return (await import('../../serve/bench.js')).benchServe({ trials: c.trials, repeats: c.repeats, updates: c.updates, seed: c.seed });
  }
}

function torchArgs(target: Target, c: BenchConfig, threads: number, device: string): string[] {
  const a = [torchScript, target, '--threads', String(threads), '--batch', String(c.batch), '--warmup', String(c.warmup), '--repeats', String(c.repeats),
    '--memory-format', c.memoryFormat === 'channels-last' ? 'channels_last' : 'nchw', '--seed', String(c.seed), '--device', device];
  if (target === 'small-cnn') a.push('--width', String(c.width));
  if (target === 'mixed-edge') a.push('--C', String(c.channels));
  if (target === 'supernet') a.push('--C', String(c.C), '--layers', String(c.layers), '--order', String(c.order));
  return a;
}

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv): Record<string, unknown> | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) {
    process.stderr.write(`bench: ${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}\n`);
    return null;
  }
  return JSON.parse(line) as Record<string, unknown>;
}

const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_step_s') && k !== 'step_s'));

export const benchCommand: Command = {
  sections,
  summary: 'benchmarks (JSON lines): small-cnn, mixed-edge, supernet, nb201, nb201-search, loader, export, latency, serve; PyTorch side by side',
  async run(argv) {
    const { config, positionals, help } = parseArgs(argv, sections, 'bench', {}, undefined, [], { positionals: 'any' });
    if (help) { console.log(helpText('bench', `Targets: ${TARGETS.join(', ')} (default: small-cnn and mixed-edge at 1 and 2 threads).`, sections, '[target] ')); return 0; }
    const c = config.bench;
    const targets = (positionals.length ? positionals : ['small-cnn', 'mixed-edge']) as Target[];
    for (const t of targets) if (!TARGETS.includes(t)) throw new ConfigError(`unknown bench target "${t}"; targets: ${TARGETS.join(', ')}`, 'target');
    const onlyFor = (flag: string, given: boolean, ok: readonly Target[]) => {
      if (given && !targets.every((t) => ok.includes(t))) throw new ConfigError(`${flag} applies only to bench ${ok.join('/')}`, flag);
    };
    onlyFor('--latency-device', c.latencyDevice !== null, ['nb201']);
    onlyFor('--max-latency-ms', c.maxLatencyMs > 0, ['nb201']);
    onlyFor('--folders', c.folders !== null, ['export', 'latency']);
    onlyFor('--measurements', c.measurements !== 5, ['latency']);
    const ex = config.executor;
    const exDefaults = defaults(ExecutorSchema);
    for (const k of Object.keys(exDefaults) as (keyof ExecutorConfig)[]) onlyFor(`--${kebab(k)}`, ex[k] !== exDefaults[k], ['nb201-search']);
    if ((c.latencyDevice === null) !== (c.maxLatencyMs === 0)) throw new ConfigError('--latency-device and --max-latency-ms go together (a latency budget on that device)', 'maxLatencyMs');
    if (targets.some((t) => t === 'export' || t === 'latency')) {
      if (targets.length !== 1) throw new ConfigError('bench export and bench latency run alone', 'target');
      if (c.folders === null) throw new ConfigError(`bench ${targets[0]} needs --folders <run folder>[,<run folder>...]`, 'folders');
      const { benchExport, benchLatency } = await import('../../bench/export.js');
      const threads = c.threads || 1;
      for (const folder of c.folders.split(',').filter(Boolean)) {
        const r = targets[0] === 'export'
          ? await benchExport(folder, { threads, warmup: c.warmup, repeats: c.repeats, dataDir: process.env.LNAS_DATA_DIR ?? null })
          : await benchLatency(folder, { threads, warmup: c.warmup, repeats: c.repeats, measurements: c.measurements });
        console.log(JSON.stringify(r));
      }
      return 0;
    }
    if (process.env.LNAS_BENCH_CHILD === '1' || (targets.length === 1 && IN_PROCESS.includes(targets[0] as Target))) {
      // A single measurement, in this process.
      const r = await measureInProcess(targets[0] as Target, c, c.threads || 1, config.executor);
      const { ompEnv } = await import('../../tensor/native.js');
      console.log(JSON.stringify({ ...r, env: ompEnv() }));
      return 0;
    }
    const compare = c.compare && torchAvailable();
    if (c.compare && !compare && !c.json) console.error('bench: PyTorch (python3-torch) not found: lnas figures only. `apt-get install -y python3-torch` to compare.');
    const self = process.argv[1] as string;
    // Both sides start from the environment lnas was started in, without what lnas set for itself:
    // the lnas child applies its own defaults, PyTorch runs at its own (each JSON line says which
    // OpenMP settings it ran under).
    const { lnasEnv } = await import('../../tensor/native.js');
    const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in lnasEnv)));
    const torchEnv = userEnv;
    const torchDevice = (await import('../../tensor/device.js')).resolveDevice(c.device);
    const rows: Record<string, unknown>[] = [];
    for (const target of targets) {
      for (const threads of c.threads ? [c.threads] : [1, 2]) {
        const flags = argv.filter((a) => !TARGETS.includes(a as Target)).concat(['--threads', String(threads)]);
        const mine = runChild(process.execPath, [self, 'bench', target, ...flags], { ...userEnv, LNAS_BENCH_CHILD: '1' });
        const theirs = compare && !IN_PROCESS.includes(target) ? runChild(TORCH_PY, torchArgs(target, c, threads, torchDevice), torchEnv) : null;
        for (const r of [mine, theirs]) if (r) { console.log(JSON.stringify(strip(r))); rows.push(r); }
        if (mine && theirs) {
          const keys = Object.keys(mine).filter((k) => k.endsWith('_img_s') && typeof theirs[k] === 'number');
          const ratio = Object.fromEntries(keys.map((k) => [k.replace('_img_s', '_ratio'), (mine[k] as number) / (theirs[k] as number)]));
          console.log(JSON.stringify({ impl: 'ratio lnas/pytorch', model: target, threads, memory_format: c.memoryFormat, ...ratio,
            peak_rss_mb: { lnas: mine.peak_rss_mb, pytorch: theirs.peak_rss_mb } }));
        }
      }
    }
    return rows.length ? 0 : 1;
  },
};
