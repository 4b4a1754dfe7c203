// What the dashboard knows about a runs folder, read from the run folders' own files and nothing
// else: each folder's kind (from its name and files), its status, progress and ETA, and the
// per-kind detail the pages draw. Nothing here writes, and nothing read from a run is evaluated.
//
// Status comes from the files a run leaves:
//   finished  the run's final file exists (summary.json; for an evolution, status "done"; for a
//             sweep, every stage done);
//   running   its lock (run.lock, evolve.lock, sweep.lock) names a live process;
//   killed    the lock is still there but its process is gone: the process died without its
//             cleanup (SIGKILL, SIGTERM, a crash of the machine);
//   failed    no final file and no lock: the process ended through its cleanup, i.e. an error
//             stopped it (a diverged loss, bad data), or a sweep stage failed.
import { createHash } from 'node:crypto';
import { type Dirent, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lockHolder } from '../runs/lock.js';
import { readSweepFile, readProgressFile, sweepPaths } from '../experiments/sweep-file.js';
import { loadSweep } from '../report/lnas/load.js';
import { table1Rows } from '../report/lnas/table1.js';
import { paretoFront } from '../report/pareto.js';
import type { CandidateRecord, EvolveSummary } from '../search/menas/files.js';

export type RunKind = 'search' | 'nb201-search' | 'train' | 'darts' | 'sweep' | 'evolve' | 'retrain' | 'candidate' | 'unknown';
export type RunStatus = 'running' | 'finished' | 'failed' | 'killed' | 'unknown';

export interface RunRow {
  /** The folder's name under the runs folder: the id the API and the page use. */
  name: string;
  kind: RunKind;
  /** The identity hash: the folder name's suffix, a hash of the normalized config. */
  hash: string;
  status: RunStatus;
  /** Why that status, in words (which file said so). */
  why: string;
  done: number;
  total: number | null;
  unit: string;
  /** Seconds left, while running and when the run's own timings allow an estimate. */
  eta_s: number | null;
  /** Newest modification time among the files read (ms since the epoch). */
  updated: number;
  /** A one-line description (dataset, best accuracy, ...). */
  note: string;
}

const KIND_OF_PREFIX: Readonly<Record<string, RunKind>> = {
  search: 'search', train: 'train', darts: 'darts', sweep: 'sweep', evolve: 'evolve', mtrain: 'retrain', mcand: 'candidate',
};

/** Candidate folders belong to an evolution and are listed in its table, not as runs of their own. */
export const isTrialFolder = (name: string): boolean => name.startsWith('mcand-');

function readJson(path: string): unknown {
  try { return JSON.parse(readFileSync(path, 'utf8')) as unknown; } catch { return undefined; }
}

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function mtime(path: string): number {
  try { return statSync(path).mtimeMs; } catch { return 0; }
}

function statSize(path: string): number {
  try { return statSync(path).size; } catch { return -1; }
}

function exists(path: string): boolean {
  try { statSync(path); return true; } catch { return false; }
}

/** Every JSON line of a metrics file that parses to an object; a torn last line is skipped. */
export function readMetrics(path: string): Record<string, unknown>[] {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return []; }
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch { /* a line being written */ }
  }
  return out;
}

/** running / killed / none, from a lock file. */
function lockState(path: string): 'live' | 'stale' | 'none' {
  if (!exists(path)) return 'none';
  return lockHolder(path) === null ? 'stale' : 'live';
}

function statusFrom(finished: boolean, lock: string, finishedWhy: string): { status: RunStatus; why: string } {
  if (finished) return { status: 'finished', why: finishedWhy };
  const l = lockState(lock);
  const file = lock.slice(lock.lastIndexOf('/') + 1);
  if (l === 'live') return { status: 'running', why: `${file} names a live process` };
  if (l === 'stale') return { status: 'killed', why: `${file} names a process that is gone` };
  return { status: 'failed', why: `no final file and no ${file}: the process ended with an error` };
}

export function kindOf(dir: string, name: string): RunKind {
  const prefix = name.slice(0, Math.max(0, name.indexOf('-')));
  const kind = KIND_OF_PREFIX[prefix] ?? 'unknown';
  if (kind === 'search' && isNb201Config(readJson(join(dir, 'config.json')))) return 'nb201-search';
  return kind;
}

/** A search over the NAS-Bench-201 cell space (its config names the space). */
function isNb201Config(c: unknown): boolean {
  const cfg = obj(c);
  return cfg.space === 'nb201' || obj(cfg.search).space === 'nb201' || obj(cfg.model).space === 'nb201';
}

/** Epochs a search or training run is configured for. */
function plannedEpochs(kind: RunKind, config: Record<string, unknown>): number | null {
  if (kind === 'search' || kind === 'nb201-search') return num(obj(config.search).epochs);
  if (kind === 'retrain') return num(obj(config.optim).epochs);
  const prune = obj(config.prune);
  const optim = obj(config.optim);
  if ((num(prune.sparsity) ?? 0) > 0 && prune.schedule === 'iterative') return (num(prune.rounds) ?? 0) * (num(prune.epochsPerRound) ?? 0) || num(optim.epochs);
  return num(optim.epochs);
}

const hashOf = (name: string): string => name.slice(name.indexOf('-') + 1);

/** Seconds left from the mean epoch time so far, less the time the current epoch has already run. */
function etaFromEpochs(metrics: Record<string, unknown>[], total: number | null, lastWrite: number, now: number): number | null {
  if (total === null || metrics.length === 0) return null;
  const times = metrics.map((m) => num(m.epoch_time_s)).filter((t): t is number => t !== null);
  if (times.length === 0) return null;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const left = Math.max(0, total - metrics.length) * mean - Math.max(0, (now - lastWrite) / 1000);
  return Math.max(0, left);
}

function epochRunRow(dir: string, name: string, kind: RunKind, now: number): RunRow {
  const config = obj(readJson(join(dir, 'config.json')));
  const metricsPath = join(dir, 'metrics.jsonl');
  const metrics = readMetrics(metricsPath);
  const summaryPath = join(dir, 'summary.json');
  const summary = readJson(summaryPath);
  const st = statusFrom(summary !== undefined, join(dir, 'run.lock'), 'summary.json written');
  const total = plannedEpochs(kind, config);
  const updated = Math.max(mtime(metricsPath), mtime(summaryPath), mtime(join(dir, 'config.json')), mtime(join(dir, 'run.lock')));
  const last = metrics[metrics.length - 1] ?? {};
  const acc = num(last.val_acc) ?? num(last.test_acc);
  const data = obj(config.data);
  const note = [typeof data.dataset === 'string' ? data.dataset : '', acc === null ? '' : `acc ${(100 * acc).toFixed(2)}%`].filter(Boolean).join(', ');
  return { name, kind, hash: hashOf(name), ...st, done: metrics.length, total, unit: 'epochs',
    eta_s: st.status === 'running' ? etaFromEpochs(metrics, total, mtime(metricsPath) || updated, now) : null, updated, note };
}

function evolveRow(dir: string, name: string, now: number): RunRow {
  const summaryPath = join(dir, 'summary.json');
  const s = obj(readJson(summaryPath)) as Partial<EvolveSummary>;
  const st = statusFrom(s.status === 'done', join(dir, 'evolve.lock'), 'summary.json says done');
  const done = num(s.evaluations) ?? 0;
  const total = num(s.budget);
  const wall = num(s.wall_seconds);
  const eta = st.status === 'running' && wall !== null && done > 0 && total !== null ? Math.max(0, (wall / done) * (total - done) - (now - mtime(summaryPath)) / 1000) : null;
  const best = s.best ? num(s.best.ticket_acc) : null;
  return { name, kind: 'evolve', hash: hashOf(name), ...st, done, total, unit: 'candidates', eta_s: eta, updated: mtime(summaryPath),
    note: [s.strategy ?? '', best === null ? '' : `best ticket ${(100 * best).toFixed(2)}%`].filter(Boolean).join(', ') };
}

function sweepRow(dir: string, name: string, now: number): RunRow {
  const paths = sweepPaths(dir);
  const plan = obj(readJson(paths.plan));
  const progress = readProgressFile(dir);
  const stages = Object.values(progress?.stages ?? {});
  const total = Array.isArray(plan.stages) ? plan.stages.length : stages.length;
  const done = stages.filter((s) => s.status === 'done').length;
  const failed = stages.filter((s) => s.status === 'failed' || s.status === 'blocked').length;
  let st = statusFrom(total > 0 && done === total, paths.lock, 'progress.json: every stage done');
  if (st.status === 'failed' && failed > 0) st = { status: 'failed', why: `${failed} stage${failed > 1 ? 's' : ''} failed or blocked (progress.json)` };
  const secs = stages.map((s) => num(s.wall_seconds)).filter((t): t is number => t !== null);
  const eta = st.status === 'running' && secs.length > 0 ? (secs.reduce((a, b) => a + b, 0) / secs.length) * (total - done) : null;
  void now;
  return { name, kind: 'sweep', hash: hashOf(name), ...st, done, total, unit: 'stages', eta_s: eta,
    updated: Math.max(mtime(paths.plan), mtime(paths.progress)), note: Array.isArray(plan.runs) ? `${plan.runs.length} runs` : '' };
}

function dartsRow(dir: string, name: string): RunRow {
  const summaryPath = join(dir, 'summary.json');
  const s = obj(readJson(summaryPath));
  const acc = num(obj(s.train).test_acc);
  const finished = s.train !== undefined;
  return { name, kind: 'darts', hash: hashOf(name), status: finished ? 'finished' : 'unknown', why: finished ? 'summary.json written' : 'no summary.json',
    done: finished ? 1 : 0, total: 1, unit: 'stages', eta_s: null, updated: mtime(summaryPath), note: acc === null ? '' : `test acc ${(100 * acc).toFixed(2)}%` };
}

function candidateRow(dir: string, name: string): RunRow {
  const result = join(dir, 'result.json');
  const st = statusFrom(exists(result), join(dir, 'worker.lock'), 'result.json written');
  return { name, kind: 'candidate', hash: hashOf(name), ...st, done: st.status === 'finished' ? 1 : 0, total: 1, unit: 'trial', eta_s: null, updated: mtime(result), note: '' };
}

/** The list row of one run folder. */
export function runRow(root: string, name: string, now = Date.now()): RunRow {
  const dir = join(root, name);
  const kind = kindOf(dir, name);
  switch (kind) {
    case 'search': case 'nb201-search': case 'train': case 'retrain': return epochRunRow(dir, name, kind, now);
    case 'evolve': return evolveRow(dir, name, now);
    case 'sweep': return sweepRow(dir, name, now);
    case 'darts': return dartsRow(dir, name);
    case 'candidate': return candidateRow(dir, name);
    default: return { name, kind, hash: hashOf(name), status: 'unknown', why: 'not a folder lnas writes', done: 0, total: null, unit: '', eta_s: null, updated: mtime(dir), note: '' };
  }
}

/** The run folders directly under `root` (sorted by name), candidate trials counted apart. */
export function listFolders(root: string): { runs: string[]; trials: number } {
  let entries: Dirent[];
  try { entries = readdirSync(root, { withFileTypes: true }); } catch { return { runs: [], trials: 0 }; }
  const runs: string[] = [];
  let trials = 0;
  for (const e of entries) {
    if (!e.isDirectory()) continue; // symlinks are not followed: a run folder is a real folder
    if (isTrialFolder(e.name)) trials++;
    else runs.push(e.name);
  }
  return { runs: runs.sort(), trials };
}

// ---- per-kind detail ------------------------------------------------------------------------

/** Compact columns of an evolution's candidates (10,000 full genomes would be tens of MB). */
export interface CandidateColumns {
  id: number[]; generation: number[]; ticket_blocks: string[];
  /** The trained (original) genome's blocks: kept here, sent one candidate at a time (candidateOf). */
  blocks: string[];
  val_acc: (number | null)[]; ticket_acc: (number | null)[]; mmacs: (number | null)[]; ticket_mmacs: (number | null)[];
  params: (number | null)[]; ticket_params: (number | null)[]; epoch_s: (number | null)[];
  recal_acc: (number | null)[]; inherited_acc: (number | null)[];
}

const blockText = (b: unknown): string => (Array.isArray(b) ? b.map((stage) => (Array.isArray(stage) ? stage.map(String).join(' ') : String(stage))).join(' | ') : '');
/** Rounded for the wire: accuracies and MMACs to 5 significant digits. */
const r5 = (v: unknown): number | null => { const n = num(v); return n === null ? null : Number(n.toPrecision(5)); };

const emptyColumns = (): CandidateColumns => ({ id: [], generation: [], ticket_blocks: [], blocks: [], val_acc: [], ticket_acc: [], mmacs: [], ticket_mmacs: [],
  params: [], ticket_params: [], epoch_s: [], recal_acc: [], inherited_acc: [] });

function appendColumns(c: CandidateColumns, records: readonly CandidateRecord[]): CandidateColumns {
  for (const r of records) {
    c.id.push(Number(r.id)); c.generation.push(Number(r.generation));
    c.ticket_blocks.push(blockText(r.ticket_blocks)); c.blocks.push(blockText(r.blocks));
    c.val_acc.push(r5(r.val_acc)); c.ticket_acc.push(r5(r.ticket_acc)); c.mmacs.push(r5(r.mmacs)); c.ticket_mmacs.push(r5(r.ticket_mmacs));
    c.params.push(num(r.params)); c.ticket_params.push(num(r.ticket_params));
    const times = Array.isArray(r.epoch_times) ? r.epoch_times.filter((t) => typeof t === 'number') : [];
    c.epoch_s.push(times.length ? r5(times.reduce((a, b) => a + b, 0) / times.length) : null);
    c.recal_acc.push(r5(r.ticket_acc_recalibrated)); c.inherited_acc.push(r5(r.ticket_acc_inherited_bn));
  }
  return c;
}

export const candidateColumns = (records: readonly CandidateRecord[]): CandidateColumns => appendColumns(emptyColumns(), records);

/**
 * candidates.json is rewritten whole after every trial, with the new records appended. The
 * columns of the last read are kept with a hash of the bytes up to its last record; when the
 * new file starts with those same bytes, only the appended records are parsed (at 10,000
 * trials the file is about 50 MB and a full parse takes seconds).
 */
interface CandidateCache { bytes: number; mtime: number; cut: number; head: string; full: string; cols: CandidateColumns }
const candidateCache = new Map<string, CandidateCache>();
const sha1 = (b: Buffer) => createHash('sha1').update(b as unknown as Uint8Array).digest('hex');

export function readCandidateColumns(path: string): CandidateColumns {
  let buf: Buffer;
  const old = candidateCache.get(path);
  if (old && old.mtime === mtime(path) && old.bytes === statSize(path)) return old.cols;
  try { buf = readFileSync(path); } catch { candidateCache.delete(path); return emptyColumns(); }
  if (old && buf.length === old.bytes && sha1(buf) === old.full) return old.cols;
  if (old && buf.length > old.bytes && old.cut > 0 && sha1(buf.subarray(0, old.cut)) === old.head) {
    const tail = buf.subarray(old.cut).toString('utf8').trim();
    if (tail.startsWith(',')) {
      try {
        const more = JSON.parse(`[${tail.slice(1)}`) as unknown;
        if (Array.isArray(more)) {
          const cols = appendColumns({ ...old.cols, ...Object.fromEntries(Object.entries(old.cols).map(([k, v]) => [k, [...(v as unknown[])]])) } as CandidateColumns, more as CandidateRecord[]);
          remember(path, buf, cols);
          return cols;
        }
      } catch { /* not a plain append: read it whole */ }
    }
  }
  let records: unknown;
  try { records = JSON.parse(buf.toString('utf8')); } catch { records = []; }
  const cols = candidateColumns((Array.isArray(records) ? records : []) as CandidateRecord[]);
  remember(path, buf, cols);
  return cols;
}

function remember(path: string, buf: Buffer, cols: CandidateColumns): void {
  const cut = buf.lastIndexOf('}') + 1;
  candidateCache.set(path, { bytes: buf.length, mtime: mtime(path), cut, head: cut > 0 ? sha1(buf.subarray(0, cut)) : '', full: sha1(buf), cols });
}

function evolveDetail(dir: string): Record<string, unknown> {
  const s = obj(readJson(join(dir, 'summary.json')));
  const cols = readCandidateColumns(join(dir, 'candidates.json'));
  const pts = cols.id.map((_, i) => ({ x: cols.ticket_params[i] ?? NaN, y: cols.ticket_acc[i] ?? NaN, i }));
  const front = paretoFront(pts).map((p) => p.i);
  const { config, best, ...rest } = s;
  const { blocks: _original, ...sent } = cols;
  const b = obj(best);
  return {
    summary: { ...rest, best: best === undefined || best === null ? null : { id: b.id, generation: b.generation, ticket_acc: b.ticket_acc, blocks: blockText(b.ticket_blocks),
      original_blocks: blockText(b.blocks), params: b.ticket_params, mmacs: b.ticket_mmacs } },
    config: config ?? null, candidates: sent, pareto: front,
  };
}

function sweepDetail(dir: string): Record<string, unknown> {
  const sweep = loadSweep(dir);
  const f = sweep.file;
  const rows = table1Rows(sweep.runs, { epochs: f.epochs, half: f.half, metric: f.metric, ...(f.dense_until === undefined ? {} : { denseUntil: f.dense_until }) });
  const runs = sweep.runs.map((r) => {
    const entry = f.runs.find((e) => e.name === r.name);
    const trainDir = entry?.train.dir ?? null;
    return {
      name: r.name, variant: r.variant, sparsity: r.sparsity,
      search_run: entry ? entry.search.dir.slice(entry.search.dir.lastIndexOf('/') + 1) : null,
      train_run: trainDir === null ? null : trainDir.slice(trainDir.lastIndexOf('/') + 1),
      genotype: r.search?.genotype ?? null, genotype_text: r.search?.genotype_text ?? null,
      history: (r.train?.history ?? []).map((h) => ({ epoch: h.epoch, val_acc: num(h.val_acc), test_acc: num(h.test_acc) })),
    };
  });
  return { plan: { epochs: f.epochs, half: f.half, metric: f.metric, variants: f.variants, sparsities: f.sparsities }, progress: sweep.progress, table1: rows, runs, config: f.config };
}

function epochRunDetail(dir: string): Record<string, unknown> {
  const summary = obj(readJson(join(dir, 'summary.json')));
  const { history, ...rest } = summary;
  void history;
  return { config: readJson(join(dir, 'config.json')) ?? null, metrics: readMetrics(join(dir, 'metrics.jsonl')), summary: Object.keys(rest).length ? rest : null };
}

/** One candidate of an evolution (by its index in candidates.json): every column, both genomes. */
export function candidateOf(root: string, name: string, index: number): Record<string, unknown> | null {
  const cols = readCandidateColumns(join(root, name, 'candidates.json'));
  if (!Number.isInteger(index) || index < 0 || index >= cols.id.length) return null;
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, (v as unknown[])[index]]));
}

/** What the page of one run draws. */
export function runDetail(root: string, name: string): Record<string, unknown> {
  const dir = join(root, name);
  const row = runRow(root, name);
  switch (row.kind) {
    case 'search': case 'nb201-search': case 'train': case 'retrain': return { row, ...epochRunDetail(dir) };
    case 'evolve': return { row, ...evolveDetail(dir) };
    case 'sweep': {
      try { readSweepFile(dir); } catch { return { row, plan: null, progress: null, table1: [], runs: [], config: null }; }
      return { row, ...sweepDetail(dir) };
    }
    case 'darts': {
      const s = obj(readJson(join(dir, 'summary.json')));
      const base = (p: unknown) => (typeof p === 'string' ? p.slice(p.lastIndexOf('/') + 1) : null);
      return { row, summary: s, search_run: base(obj(s.search).run_dir), train_run: base(obj(s.train).run_dir) };
    }
    default: return { row };
  }
}
