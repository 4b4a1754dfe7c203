// Synthetic run folders in the shapes lnas writes them (the same file names and fields), for the
// dashboard's tests, its scale benchmark (`lnas bench serve`: 10,000 evolution trials) and the
// screenshots. Values are drawn from a seeded generator; nothing here trains anything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../util/rng.js';

const OPS = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5'];

const hex = (rng: Rng, n = 12) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');

/** One metrics.jsonl line of a DARTS search epoch, with α drifting away from uniform as epochs pass. */
export function searchEpochLine(epoch: number, epochs: number, rng: Rng, o: { opName?: string } = {}): Record<string, unknown> {
  const alpha = () => Array.from({ length: 14 }, () => OPS.map((_, k) => Number((1e-3 * (rng.next() - 0.5) + (k === 3 ? 0.08 : 0.02 * (k % 3)) * epoch).toPrecision(6))));
  const mask = () => Array.from({ length: 14 }, () => OPS.map(() => 1));
  const an = alpha(); const ar = alpha();
  const cell = () => Array.from({ length: 8 }, (_, i) => [o.opName ?? OPS[1 + ((i + epoch) % 7)] as string, i < 2 ? i : rng.int(2 + Math.floor(i / 2))] as [string, number]);
  const genotype = { normal: cell(), normal_concat: [2, 3, 4, 5], reduce: cell(), reduce_concat: [2, 3, 4, 5] };
  const ent = (e: number) => 2.0794 - 0.05 * e;
  return {
    stage: 'search', epoch, lr: 0.025, order: 1, train_loss: 2.3 - 0.2 * epoch + 0.01 * rng.next(), train_acc: 0.1 + 0.05 * epoch,
    arch_val_loss: 2.3 - 0.15 * epoch, val_loss: 2.3 - 0.15 * epoch, val_acc: 0.1 + 0.04 * epoch, epoch_time_s: 10 + rng.next(), images_per_s: 8,
    alpha_pruned_now: 0, alpha_entropy_normal: ent(epoch), alpha_entropy_reduce: ent(epoch) + 0.01, skip_normal: Math.min(8, epoch), skip_reduce: 0,
    alpha_alive: 224, genotype, genotype_text: `Genotype(normal=${JSON.stringify(genotype.normal)}, epochs=${epochs})`,
    alpha_normal: an, alpha_reduce: ar, mask_normal: mask(), mask_reduce: mask(),
  };
}

/** A search folder: config.json and `done` epochs of metrics; summary.json when all epochs are done. */
export function writeSyntheticSearch(root: string, name: string, o: { epochs: number; done: number; seed?: number; opName?: string }): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(o.seed ?? 1);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ kind: 'search', data: { dataset: 'synthetic' }, search: { epochs: o.epochs, channels: 8, layers: 5 }, runtime: { threads: 1 } }));
  const lines = Array.from({ length: o.done }, (_, i) => searchEpochLine(i + 1, o.epochs, rng, o.opName === undefined ? {} : { opName: o.opName }));
  writeFileSync(join(dir, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  if (o.done >= o.epochs) {
    const last = lines[lines.length - 1] ?? {};
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ run_dir: dir, genotype: last.genotype, genotype_text: last.genotype_text, search_seconds: 10 * o.epochs, epochs: o.epochs, final_val_acc: last.val_acc, alpha_sparsity: 0, history: lines }));
  }
  return dir;
}

const STAGE_WIDTH = [16, 24, 40, 56, 80];

function genomeOf(rng: Rng): Record<string, number | boolean> {
  const g: Record<string, number | boolean> = { width_mult: [0.5, 0.75, 1][rng.int(3)] as number };
  for (let s = 1; s <= 5; s++) {
    g[`s${s}_depth`] = 1 + rng.int(6); g[`s${s}_down`] = rng.next() < 0.5;
    for (let i = 1; i <= 6; i++) {
      g[`s${s}_i${i}_exp`] = 1 + rng.int(6); g[`s${s}_i${i}_k`] = [3, 5, 7][rng.int(3)] as number;
      g[`s${s}_i${i}_se`] = rng.next() < 0.5; g[`s${s}_i${i}_prune`] = [0, 0.125, 0.25, 0.375, 0.5][rng.int(5)] as number;
    }
  }
  return g;
}

function blocksOf(g: Record<string, number | boolean>): string[][] {
  return STAGE_WIDTH.map((c, s) => Array.from({ length: Number(g[`s${s + 1}_depth`]) }, (_, i) => {
    const k = `s${s + 1}_i${i + 1}_`;
    const p = Number(g[`${k}prune`]);
    return `ir_r1_k${g[`${k}k`]}_s${i === 0 && g[`s${s + 1}_down`] ? 2 : 1}_e${g[`${k}exp`]}_c${c}${g[`${k}se`] ? '_se0.25' : ''}${p > 0 ? `_p${p}` : ''}`;
  }));
}

/**
 * An evolve folder with `trials` trained candidates in `generations` generations (summary.json,
 * candidates.json with full genomes, as `lnas evolve` writes them) and one mcand-<hash> folder
 * per candidate next to it, holding its result.json.
 */
export function writeSyntheticEvolve(root: string, o: { trials: number; generations: number; seed?: number; running?: boolean; name?: string }): string {
  const rng = new Rng(o.seed ?? 7);
  const name = o.name ?? `evolve-${hex(rng)}`;
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(o.trials / o.generations);
  type Rec = { id: number; generation: number; params: number; ticket_params: number; mmacs: number; ticket_mmacs: number; val_acc: number;
    val_acc_recalibrated: number; ticket_acc: number; epoch_times: number[] } & Record<string, unknown>;
  const records: Rec[] = [];
  for (let id = 1; id <= o.trials; id++) {
    const generation = Math.floor((id - 1) / per);
    const genome = genomeOf(rng);
    const ticket = { ...genome };
    const params = Math.round(Math.max(40_000, 150_000 + 500_000 * rng.next() - (300_000 * generation) / Math.max(1, o.generations)));
    const acc = Math.min(0.95, 0.3 + 0.1 * rng.next() + 0.01 * generation);
    const cand = join(root, `mcand-${hex(rng)}`);
    const r: Rec = {
      id, generation, dir: cand, genome, ticket, blocks: blocksOf(genome), ticket_blocks: blocksOf(ticket),
      val_acc: acc, val_acc_recalibrated: acc, ticket_acc: acc - 0.01 * rng.next(), ticket_acc_recalibrated: acc - 0.01 * rng.next(), ticket_acc_inherited_bn: acc - 0.1 * rng.next(),
      mmacs: 10 + 20 * rng.next(), params, ticket_mmacs: 8 + 18 * rng.next(), ticket_params: Math.round(params * (0.8 + 0.15 * rng.next())),
      epoch_times: [30 + 20 * rng.next(), 30 + 20 * rng.next()], explore_seconds: 20 * rng.next(), finetune_seconds: 0,
    };
    records.push(r);
    mkdirSync(cand, { recursive: true });
    writeFileSync(join(cand, 'result.json'), JSON.stringify({ dir: cand, ticket_acc: r.ticket_acc, params }));
  }
  const rounds = Array.from({ length: o.generations }, (_, round) => {
    const rs = records.filter((r) => r.generation === round);
    const mean = (f: (r: Rec) => number) => rs.reduce((a, r) => a + f(r), 0) / Math.max(1, rs.length);
    return { generation: round, n: rs.length, mean_params: mean((r) => r.params), mean_ticket_params: mean((r) => r.ticket_params), mean_mmacs: mean((r) => r.mmacs),
      mean_ticket_mmacs: mean((r) => r.ticket_mmacs), mean_epoch_seconds: mean((r) => r.epoch_times[0] as number), mean_val_acc: mean((r) => r.val_acc),
      mean_val_acc_recalibrated: mean((r) => r.val_acc_recalibrated), mean_ticket_acc: mean((r) => r.ticket_acc), best_ticket_acc: Math.max(...rs.map((r) => r.ticket_acc)) };
  });
  const best = records.reduce((b, r) => (r.ticket_acc > b.ticket_acc ? r : b), records[0] as Rec);
  writeFileSync(join(dir, 'candidates.json'), JSON.stringify(records));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({
    kind: 'menas', version: 1, status: o.running ? 'running' : 'done', strategy: 'evolution', hash: name.slice(7), budget: o.running ? o.trials * 2 : o.trials,
    population: per, generations: o.generations, evaluations: o.trials, per_generation: rounds, best, final: null, figure4: [], compare: null, workers: 2, threads: 1,
    wall_seconds: 60 * o.trials, updated: new Date().toISOString(), config: { population: per, generations: o.generations },
  }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ kind: 'evolve', identity: { population: per }, config: { population: per, generations: o.generations } }));
  return dir;
}

/**
 * A sweep folder (sweep.json, progress.json) with a finished baseline (search and retraining) and
 * a Variant 2 run whose search is done and whose retraining has not started, as `lnas sweep`
 * leaves it mid-way; its stage folders sit next to it.
 */
export function writeSyntheticSweep(root: string, o: { name?: string; seed?: number } = {}): string {
  const rng = new Rng(o.seed ?? 5);
  const name = o.name ?? `sweep-${hex(rng)}`;
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const search = (id: string) => {
    const d = writeSyntheticSearch(root, `search-${id}`, { epochs: 2, done: 2, seed: rng.int(1000) });
    return d;
  };
  const s0 = search(hex(rng)); const s1 = search(hex(rng));
  const t0 = join(root, `train-${hex(rng)}`);
  mkdirSync(t0, { recursive: true });
  const history = [1, 2, 3, 4].map((epoch) => ({ stage: 'train', epoch, lr: 0.1, train_loss: 2 - 0.2 * epoch, train_acc: 0.2 + 0.05 * epoch, val_acc: 0.3 + 0.04 * epoch, test_acc: 0.3 + 0.04 * epoch, epoch_time_s: 30 }));
  writeFileSync(join(t0, 'config.json'), JSON.stringify({ kind: 'train', data: { dataset: 'synthetic' }, optim: { epochs: 4 } }));
  writeFileSync(join(t0, 'metrics.jsonl'), history.map((h) => JSON.stringify(h)).join('\n') + '\n');
  writeFileSync(join(t0, 'summary.json'), JSON.stringify({ run_dir: t0, epochs: 4, parameters: 322266, nonzero_parameters: 322266, dense_macs: 56_230_000, effective_macs: 56_230_000,
    train_seconds: 120, sparsity: 0, test_acc: 0.46, history }));
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify({
    kind: 'lnas-sweep', version: 1, hash: name.slice(6), epochs: 4, half: 2, metric: 'val', variants: ['v2'], sparsities: [0.5], config: { search: { epochs: 2 } },
    runs: [
      { name: 'baseline', variant: 'baseline', sparsity: null, search: { stage: 'search-0', dir: s0 }, train: { stage: 'train-baseline', dir: t0 } },
      { name: 'v2-0.5', variant: 'v2', sparsity: 0.5, search: { stage: 'search-0.5', dir: s1 }, train: { stage: 'train-v2-0.5', dir: null } },
    ],
    stages: [
      { id: 'search-0', kind: 'search', dir: s0, depends: [], runs: ['baseline'] }, { id: 'train-baseline', kind: 'train', dir: t0, depends: ['search-0'], runs: ['baseline'] },
      { id: 'search-0.5', kind: 'search', dir: s1, depends: [], runs: ['v2-0.5'] }, { id: 'train-v2-0.5', kind: 'train', dir: null, depends: ['search-0.5'], runs: ['v2-0.5'] },
    ],
  }));
  const st = (status: string, d: string | null) => ({ status, dir: d, launches: status === 'pending' ? 0 : 1, seconds: status === 'done' ? 60 : null, wall_seconds: status === 'done' ? 70 : undefined, error: null });
  writeFileSync(join(dir, 'progress.json'), JSON.stringify({ updated: new Date().toISOString(), stages: {
    'search-0': st('done', s0), 'train-baseline': st('done', t0), 'search-0.5': st('done', s1), 'train-v2-0.5': st('pending', null) } }));
  return dir;
}
