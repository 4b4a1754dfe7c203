// The dashboard page: the runs list (#/) and one run (#/run/<name>), kept live by the server's
// event stream. Data comes only from /api/*; everything is rendered through the DOM helpers.
import { PALETTE, chart, heat, pruneCharts } from './charts.js';
import { cellView } from './cells.js';
import { duration, fixed, h, int, link, pct } from './dom.js';

interface Row { name: string; kind: string; hash: string; status: string; why: string; done: number; total: number | null; unit: string; eta_s: number | null; updated: number; note: string }
type Json = Record<string, unknown>;

const state = { root: '', runs: new Map<string, Row>(), trials: 0, detail: null as Json | null, detailFor: '', live: false };
const app = document.getElementById('app') as HTMLElement;
const conn = document.getElementById('conn') as HTMLElement;
const rootLabel = document.getElementById('root') as HTMLElement;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});

async function getJson(path: string): Promise<Json> {
  const r = await fetch(path, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return await r.json() as Json;
}

function route(): { view: 'list' } | { view: 'run'; name: string } {
  const m = /^#\/run\/(.+)$/.exec(location.hash);
  if (m) {
    try { return { view: 'run', name: decodeURIComponent(m[1] as string) }; } catch { /* fall through */ }
  }
  return { view: 'list' };
}

// ---- loading ----------------------------------------------------------------------------------

let loading: Promise<void> | null = null;
let again = false;

async function loadDetail(name: string): Promise<void> {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    do {
      again = false;
      try {
        state.detail = await getJson(`/api/runs/${encodeURIComponent(name)}`);
        state.detailFor = name;
      } catch (e) {
        state.detail = { error: String((e as Error).message) };
        state.detailFor = name;
      }
      render();
    } while (again);
  })();
  try { await loading; } finally { loading = null; }
}

async function loadList(): Promise<void> {
  const body = await getJson('/api/runs');
  state.root = String(body.root ?? '');
  state.trials = Number(body.trials ?? 0);
  state.runs = new Map((arr(body.runs) as Row[]).map((r) => [r.name, r]));
  rootLabel.textContent = state.root;
}

function connect(): void {
  const es = new EventSource('/api/events');
  es.addEventListener('hello', () => { state.live = true; showConn(); });
  es.addEventListener('runs', (ev) => {
    const d = JSON.parse((ev as MessageEvent<string>).data) as { rows: Row[]; removed: string[]; trials: number };
    for (const r of d.rows) state.runs.set(r.name, r);
    for (const n of d.removed) state.runs.delete(n);
    state.trials = d.trials;
    const r = route();
    if (r.view === 'run' && (d.rows.some((x) => x.name === r.name) || d.removed.includes(r.name))) void loadDetail(r.name);
    else render();
  });
  es.onerror = () => { state.live = false; showConn(); };
  es.onopen = () => { state.live = true; showConn(); };
}

function showConn(): void {
  conn.textContent = state.live ? 'live' : 'reconnecting…';
  conn.className = state.live ? 'live' : 'down';
}

// ---- common pieces ------------------------------------------------------------------------------

const badge = (status: string, why: string) => h('span', { class: `badge ${status}`, title: why, 'data-status': status }, status);

function progress(r: Row): HTMLElement {
  const frac = r.total ? Math.min(1, r.done / r.total) : 0;
  return h('span', { class: 'progress', title: `${r.done} of ${r.total ?? '?'} ${r.unit}` },
    h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(100 * frac).toFixed(1)}%` })),
    ` ${r.done}/${r.total ?? '?'} ${r.unit}`);
}

function configBlock(config: unknown): HTMLElement {
  return h('details', { class: 'config' }, h('summary', {}, 'config'), h('pre', {}, JSON.stringify(config, null, 2)));
}

// ---- the runs list ------------------------------------------------------------------------------

let filter = '';

function listView(): HTMLElement {
  const rows = [...state.runs.values()].filter((r) => filter === '' || `${r.name} ${r.kind} ${r.status} ${r.note}`.toLowerCase().includes(filter.toLowerCase()))
    .sort((a, b) => b.updated - a.updated);
  const input = h('input', { type: 'search', placeholder: 'filter runs', id: 'filter', value: filter });
  input.addEventListener('input', () => { filter = input.value; const t = document.getElementById('runs-table'); t?.replaceWith(table()); });
  const table = () => h('table', { id: 'runs-table', class: 'runs' },
    h('thead', {}, h('tr', {}, ...['run', 'kind', 'status', 'progress', 'ETA', 'identity', 'updated', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, ...rows.filter((r) => filter === '' || `${r.name} ${r.kind} ${r.status} ${r.note}`.toLowerCase().includes(filter.toLowerCase())).map((r) =>
      h('tr', { 'data-run': r.name, 'data-status': r.status },
        h('td', {}, link(`/run/${r.name}`, r.name)), h('td', {}, r.kind), h('td', {}, badge(r.status, r.why)), h('td', {}, progress(r)),
        h('td', {}, r.status === 'running' ? duration(r.eta_s) : ''), h('td', { class: 'mono' }, r.hash),
        h('td', {}, r.updated ? new Date(r.updated).toLocaleString() : ''), h('td', { class: 'muted' }, r.note)))));
  return h('section', {}, h('h2', {}, `Runs (${state.runs.size})`),
    h('p', { class: 'muted' }, `${state.trials.toLocaleString('en-US')} evolution trial folders (shown in their evolution's table). Status comes from each run's files: hover it for why.`),
    input, table());
}

// ---- one run ------------------------------------------------------------------------------------

function runView(name: string): HTMLElement {
  const row = state.runs.get(name);
  const d = state.detailFor === name ? state.detail : null;
  const head = h('div', { id: 'run-head', 'data-run': name, 'data-done': row?.done ?? 0, 'data-status': row?.status ?? '' },
    h('p', {}, link('/', '← all runs')),
    h('h2', {}, name),
    row ? h('p', {}, `${row.kind} · `, badge(row.status, row.why), ' · ', progress(row), row.status === 'running' ? ` · ETA ${duration(row.eta_s)}` : '',
      ' · identity ', h('span', { class: 'mono' }, row.hash), ' · ', h('span', { class: 'muted' }, row.why)) : h('p', {}, 'no such run (it may have been removed)'));
  const out = h('section', { class: 'run' }, head);
  if (!d) { out.append(h('p', { class: 'muted' }, 'loading…')); return out; }
  if (d.error) { out.append(h('p', { class: 'error' }, String(d.error))); return out; }
  if (d.config !== undefined && d.config !== null) out.append(configBlock(d.config));
  const kind = obj(d.row).kind;
  if (kind === 'search' || kind === 'nb201-search') out.append(searchView(d));
  else if (kind === 'train' || kind === 'retrain') out.append(trainView(d));
  else if (kind === 'evolve') out.append(evolveView(d));
  else if (kind === 'sweep') out.append(sweepView(d));
  else if (kind === 'darts') out.append(dartsView(d));
  return out;
}

const series = (ms: Json[], key: string) => ms.map((m) => num(m[key]));

/** Metrics fields that hold the true (benchmark table) accuracy of the current genotype. */
const trueAccKeys = (ms: Json[]) => [...new Set(ms.flatMap((m) => Object.keys(m)))].filter((k) => /^(nb201|true|bench)_.*acc/.test(k));

// Which epoch the α heatmap shows; null: the latest (follows the live run).
let alphaEpoch: number | null = null;

function searchView(d: Json): HTMLElement {
  const ms = arr(d.metrics).map(obj);
  const x = ms.map((m, i) => num(m.epoch) ?? i + 1);
  const out = h('div', {});
  const charts = h('div', { class: 'charts' },
    chart({ id: 'loss', title: 'loss', x, xLabel: 'epoch', yLabel: 'loss', series: [
      { label: 'train', values: series(ms, 'train_loss') }, { label: 'architecture (val)', values: series(ms, 'arch_val_loss') }, { label: 'val (eval)', values: series(ms, 'val_loss') }] }),
    chart({ id: 'accuracy', title: 'accuracy', x, xLabel: 'epoch', yLabel: 'accuracy', series: [
      { label: 'train', values: series(ms, 'train_acc') }, { label: 'val', values: series(ms, 'val_acc') },
      ...trueAccKeys(ms).map((k) => ({ label: `${k} (true, table lookup)`, values: series(ms, k), dash: true }))] }),
    chart({ id: 'entropy', title: 'α entropy (collapse: falls towards 0)', x, xLabel: 'epoch', yLabel: 'nats', series: [
      { label: 'normal', values: series(ms, 'alpha_entropy_normal') }, { label: 'reduce', values: series(ms, 'alpha_entropy_reduce') }] }),
    chart({ id: 'skip', title: 'skip_connect in the derived cells (collapse: rises)', x, xLabel: 'epoch', yLabel: 'edges', series: [
      { label: 'normal', values: series(ms, 'skip_normal') }, { label: 'reduce', values: series(ms, 'skip_reduce') }] }));
  out.append(h('h3', {}, 'Curves'), charts);
  const trueKeys = trueAccKeys(ms);
  if (trueKeys.length) {
    const last = ms[ms.length - 1] ?? {};
    out.append(h('p', { id: 'true-acc' }, 'True accuracy of the current genotype: ', ...trueKeys.map((k) => `${k} ${pct(last[k])} `)));
  }
  // α heatmap per epoch
  const withAlpha = ms.filter((m) => Array.isArray(m.alpha_normal));
  out.append(h('h3', {}, 'α per epoch (softmax over each edge\'s live ops)'));
  if (withAlpha.length === 0) {
    out.append(h('p', { class: 'muted' }, 'no α recorded yet (it is written with each finished epoch)'));
  } else {
    const latest = withAlpha.length - 1;
    const idx = alphaEpoch === null ? latest : Math.min(alphaEpoch, latest);
    const m = withAlpha[idx] as Json;
    const slider = h('input', { type: 'range', min: 0, max: latest, value: idx, id: 'alpha-epoch' });
    slider.addEventListener('input', () => { const v = Number(slider.value); alphaEpoch = v === latest ? null : v; render(); });
    out.append(h('p', {}, 'epoch ', slider, ' ', h('strong', { id: 'epoch-label', 'data-epoch': String(m.epoch) }, `${String(m.epoch)} of ${withAlpha.length}`),
      alphaEpoch === null ? h('span', { class: 'muted' }, ' (following the latest)') : ''));
    out.append(h('div', { class: 'heatmaps' },
      heatmap('normal', m.alpha_normal, m.mask_normal, m.epoch), heatmap('reduce', m.alpha_reduce, m.mask_reduce, m.epoch)));
    const g = m.genotype ?? obj(d.summary).genotype;
    out.append(h('h3', {}, `Derived genotype at epoch ${String(m.epoch)}`), h('div', { class: 'cells' }, cellView(g, 'normal'), cellView(g, 'reduce')),
      h('pre', { class: 'genotype' }, String(m.genotype_text ?? obj(d.summary).genotype_text ?? '')));
  }
  return out;
}

const OPS = ['none', 'max_pool_3x3', 'avg_pool_3x3', 'skip_connect', 'sep_conv_3x3', 'sep_conv_5x5', 'dil_conv_3x3', 'dil_conv_5x5'];

function heatmap(cell: string, alpha: unknown, mask: unknown, epoch: unknown): HTMLElement {
  const rows = arr(alpha).map((r) => arr(r).map((v) => num(v) ?? 0));
  const masks = arr(mask).map((r) => arr(r).map((v) => v !== 0));
  const ops = rows[0]?.length ?? 0;
  const names = ops === OPS.length ? OPS : Array.from({ length: ops }, (_, i) => `op ${i}`);
  const t = h('table', { class: 'heatmap', 'data-cell': cell, 'data-epoch': String(epoch) },
    h('caption', {}, `${cell} cell: edges × ops`),
    h('thead', {}, h('tr', {}, h('th', {}, 'edge'), ...names.map((n) => h('th', { class: 'op' }, h('span', {}, n))))));
  const body = h('tbody', {});
  rows.forEach((r, e) => {
    const live = r.map((_, k) => masks[e]?.[k] ?? true);
    const mx = Math.max(...r.filter((_, k) => live[k]));
    const ex = r.map((v, k) => (live[k] ? Math.exp(v - mx) : 0));
    const z = ex.reduce((a, b) => a + b, 0) || 1;
    const p = ex.map((v) => v / z);
    const best = p.indexOf(Math.max(...p));
    body.append(h('tr', {}, h('th', {}, String(e)), ...p.map((v, k) => h('td', {
      style: `background:${live[k] ? heat((v - 1 / ops) * ops / 2 + 0.5) : '#eee'}`,
      class: k === best ? 'best' : live[k] ? '' : 'pruned', title: `edge ${e}, ${names[k]}: ${live[k] ? v.toFixed(4) : 'pruned'} (α ${fixed(r[k], 4)})`,
    }, live[k] ? v.toFixed(3) : '×'))));
  });
  t.append(body);
  return t;
}

function trainView(d: Json): HTMLElement {
  const ms = arr(d.metrics).map(obj);
  const x = ms.map((m, i) => num(m.epoch) ?? i + 1);
  const keys = [...new Set(ms.flatMap((m) => Object.keys(m)))];
  const accKeys = keys.filter((k) => /_acc$/.test(k));
  const lossKeys = keys.filter((k) => /_loss$/.test(k));
  const s = obj(d.summary);
  return h('div', {}, h('h3', {}, 'Curves'), h('div', { class: 'charts' },
    chart({ id: 'loss', title: 'loss', x, xLabel: 'epoch', yLabel: 'loss', series: lossKeys.map((k) => ({ label: k, values: series(ms, k) })) }),
    chart({ id: 'accuracy', title: 'accuracy', x, xLabel: 'epoch', yLabel: 'accuracy', series: accKeys.map((k) => ({ label: k, values: series(ms, k) })) })),
  Object.keys(s).length ? h('p', {}, `test accuracy ${pct(s.test_acc)}, ${int(s.parameters ?? s.params)} parameters, ${duration(num(s.train_seconds))} of training`) : '');
}

function dartsView(d: Json): HTMLElement {
  const s = obj(d.summary);
  const search = typeof d.search_run === 'string' ? d.search_run : null;
  const train = typeof d.train_run === 'string' ? d.train_run : null;
  return h('div', {}, h('p', {}, 'search: ', search ? link(`/run/${search}`, search) : '–', ' · retraining: ', train ? link(`/run/${train}`, train) : '–'),
    h('p', {}, `test accuracy of the retrained network: ${pct(obj(s.train).test_acc)}`),
    h('div', { class: 'cells' }, cellView(obj(s.search).genotype, 'normal'), cellView(obj(s.search).genotype, 'reduce')),
    h('pre', { class: 'genotype' }, String(obj(s.search).genotype_text ?? '')));
}

// ---- sweep ----

function sweepView(d: Json): HTMLElement {
  const rows = arr(d.table1).map(obj);
  const plan = obj(d.plan);
  const out = h('div', {});
  out.append(h('h3', {}, `Table 1 (best ${String(plan.metric ?? 'val')} accuracy up to epoch ${String(plan.half ?? '?')} and ${String(plan.epochs ?? '?')}; fills in as runs finish)`));
  const cols: [string, (r: Json) => string][] = [
    ['run', (r) => String(r.run)], ['variant', (r) => String(r.variant)], ['sparsity', (r) => (r.sparsity === null ? 'N/A' : String(r.sparsity))],
    [`acc ≤ epoch ${String(plan.half ?? '')}`, (r) => `${pct(r.acc_half)}${r.win_half ? ' ★' : ''}`], [`acc ≤ epoch ${String(plan.epochs ?? '')}`, (r) => `${pct(r.acc_full)}${r.win_full ? ' ★' : ''}`],
    ['dense MACs', (r) => int(r.dense_macs)], ['effective MACs', (r) => int(r.effective_macs)], ['params left', (r) => int(r.nonzero_parameters)],
    ['search (s)', (r) => int(r.search_seconds)], ['training (s)', (r) => int(r.train_seconds)],
  ];
  out.append(h('table', { class: 'table1', id: 'table1' }, h('thead', {}, h('tr', {}, ...cols.map(([c]) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...cols.map(([, f]) => h('td', {}, f(r))))))));
  out.append(h('p', { class: 'muted' }, '★ winning ticket: at least the baseline\'s accuracy at that epoch.'));
  // Figure 1: accuracy against sparsity per variant, at E/2 and E.
  const sp = [...new Set(rows.map((r) => num(r.sparsity)).filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const variants = [...new Set(rows.filter((r) => r.sparsity !== null).map((r) => String(r.variant)))];
  const base = rows.find((r) => r.sparsity === null);
  const at = (v: string, key: string) => sp.map((p) => num(rows.find((r) => String(r.variant) === v && r.sparsity === p)?.[key]));
  if (sp.length) {
    out.append(h('h3', {}, 'Figure 1'), h('div', { class: 'charts' },
      ...(['acc_half', 'acc_full'] as const).map((key) => chart({ id: `fig1-${key}`, title: key === 'acc_half' ? `up to epoch ${String(plan.half)}` : `up to epoch ${String(plan.epochs)}`,
        x: sp, xLabel: 'sparsity', yLabel: 'accuracy', series: [
          ...variants.map((v) => ({ label: v, values: at(v, key), points: true, width: 2 })),
          ...(base ? [{ label: 'baseline', values: sp.map(() => num(base[key])), dash: true }] : [])] }))));
  }
  out.append(h('h3', {}, 'Each run\'s cells'));
  for (const r of arr(d.runs).map(obj)) {
    const runs = [r.search_run, r.train_run].filter((x): x is string => typeof x === 'string');
    out.append(h('div', { class: 'sweep-run', 'data-run': String(r.name) }, h('h4', {}, String(r.name), ' ', ...runs.flatMap((n) => [' · ', link(`/run/${n}`, n)])),
      r.genotype ? h('div', { class: 'cells small' }, cellView(r.genotype, 'normal'), cellView(r.genotype, 'reduce')) : h('p', { class: 'muted' }, 'search not finished')));
  }
  return out;
}

// ---- evolution ----

interface Cols { [k: string]: (number | string | null)[] }
let sortBy = 'ticket_acc';
let sortDesc = true;

function evolveView(d: Json): HTMLElement {
  const c = obj(d.candidates) as unknown as Cols;
  const n = (c.id ?? []).length;
  const s = obj(d.summary);
  const out = h('div', {});
  const best = obj(s.best);
  out.append(h('p', {}, `${String(s.strategy ?? '')}: ${n.toLocaleString('en-US')} candidates of ${String(s.budget ?? '?')}, `,
    `population ${String(s.population ?? '?')}, ${String(s.generations ?? '?')} generations; best ticket ${pct(best.ticket_acc)} (#${String(best.id ?? '–')}, ${int(best.params)} parameters)`));
  const gens = [...new Set((c.generation ?? []) as number[])].sort((a, b) => a - b);
  // At most 10 series: consecutive generations share one when there are more (a legend of 50 is unreadable, and slow).
  const per = Math.ceil(gens.length / 10) || 1;
  const bins = Array.from({ length: Math.ceil(gens.length / per) }, (_, b) => gens.slice(b * per, (b + 1) * per));
  const binOf = new Map(bins.flatMap((gs, b) => gs.map((g) => [g, b] as const)));
  // accuracy vs size per generation: one series per generation over the x values sorted.
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => num(c.ticket_params?.[i]) !== null).sort((a, b) => (c.ticket_params?.[a] as number) - (c.ticket_params?.[b] as number));
  const xs = order.map((i) => c.ticket_params?.[i] as number);
  const front = new Set(arr(d.pareto) as number[]);
  const perGen = bins.map((_, b) => order.map((i) => (binOf.get(c.generation?.[i] as number) === b ? num(c.ticket_acc?.[i]) : null)));
  const frontSeries = order.map((i) => (front.has(i) ? num(c.ticket_acc?.[i]) : null));
  const rounds = arr(s.per_generation).map(obj);
  const rx = rounds.map((r) => num(r.generation) ?? 0);
  out.append(h('div', { class: 'charts' },
    chart({ id: 'evo-scatter', title: 'ticket accuracy vs parameters, per generation; Pareto front', x: xs, xLabel: 'ticket parameters', yLabel: 'accuracy', scatter: true, width: 620, height: 320,
      series: [...bins.map((gs, i) => ({ label: gs.length > 1 ? `gen ${gs[0]}–${gs[gs.length - 1]}` : `gen ${gs[0]}`, values: perGen[i] as (number | null)[], color: PALETTE[i % PALETTE.length] as string })),
        { label: 'Pareto front', values: frontSeries, color: '#000', dash: true, width: 2 }] }),
    chart({ id: 'evo-gen', title: 'per generation: mean size', x: rx, xLabel: 'generation', yLabel: 'parameters', series: [
      { label: 'candidate', values: rounds.map((r) => num(r.mean_params)) }, { label: 'ticket', values: rounds.map((r) => num(r.mean_ticket_params)) }] }),
    chart({ id: 'evo-acc', title: 'per generation: accuracy', x: rx, xLabel: 'generation', yLabel: 'accuracy', series: [
      { label: 'mean ticket', values: rounds.map((r) => num(r.mean_ticket_acc)) }, { label: 'best ticket', values: rounds.map((r) => num(r.best_ticket_acc)) }] }),
    bnEffect(c, n)));
  out.append(h('h3', {}, `Candidates (${n.toLocaleString('en-US')}; click a header to sort)`), candidateTable(c, n, front));
  return out;
}

function bnEffect(c: Cols, n: number): HTMLElement {
  const idx = Array.from({ length: n }, (_, i) => i).filter((i) => num(c.inherited_acc?.[i]) !== null && num(c.recal_acc?.[i]) !== null)
    .sort((a, b) => (c.inherited_acc?.[a] as number) - (c.inherited_acc?.[b] as number));
  const xs = idx.map((i) => c.inherited_acc?.[i] as number);
  const higher = idx.filter((i) => (c.recal_acc?.[i] as number) > (c.inherited_acc?.[i] as number)).length;
  const mean = (k: string) => idx.reduce((a, i) => a + (c[k]?.[i] as number), 0) / Math.max(1, idx.length);
  const box = h('div', { class: 'bn' });
  box.append(chart({ id: 'evo-bn', title: 'BN re-calibration: ticket accuracy', x: xs, xLabel: 'inherited BN statistics', yLabel: 're-calibrated', scatter: true,
    series: [{ label: 're-calibrated', values: idx.map((i) => c.recal_acc?.[i] as number) }, { label: 'y = x', values: xs, color: '#999', dash: true, width: 1 }] }),
  h('p', { id: 'bn-effect' }, `re-calibrated ${pct(mean('recal_acc'))} vs inherited ${pct(mean('inherited_acc'))} on average; higher for ${higher} of ${idx.length}`));
  return box;
}

const CAND_COLS: [string, string, (v: unknown) => string][] = [
  ['id', '#', (v) => String(v)], ['generation', 'gen', (v) => String(v)], ['ticket_acc', 'ticket acc', (v) => pct(v)], ['val_acc', 'trained acc', (v) => pct(v)],
  ['ticket_mmacs', 'ticket MMACs', (v) => fixed(v, 2)], ['mmacs', 'MMACs', (v) => fixed(v, 2)], ['ticket_params', 'ticket params', (v) => int(v)], ['params', 'params', (v) => int(v)],
  ['epoch_s', 'epoch (s)', (v) => fixed(v, 1)], ['ticket_blocks', 'ticket genome (blocks)', (v) => String(v ?? '')],
];

const ROW_H = 24;

function candidateTable(c: Cols, n: number, front: Set<number>): HTMLElement {
  const key = sortBy;
  const vals = c[key] ?? [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = vals[a]; const y = vals[b];
    if (x === y) return a - b;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const r = typeof x === 'string' ? x.localeCompare(String(y)) : (x as number) - (y as number);
    return sortDesc ? -r : r;
  });
  const head = h('div', { class: 'vrow vhead' }, ...CAND_COLS.map(([k, label]) => {
    const cell = h('span', { class: `vc c-${k}${k === sortBy ? ' sorted' : ''}`, 'data-sort': k }, label, k === sortBy ? (sortDesc ? ' ▼' : ' ▲') : '');
    cell.addEventListener('click', () => { if (sortBy === k) sortDesc = !sortDesc; else { sortBy = k; sortDesc = k !== 'id' && k !== 'generation'; } render(); });
    return cell;
  }));
  const viewport = h('div', { class: 'viewport', id: 'candidates', 'data-rows': n, 'data-sort': `${sortBy}:${sortDesc ? 'desc' : 'asc'}` });
  const spacer = h('div', { class: 'spacer', style: `height:${n * ROW_H}px` });
  viewport.append(spacer);
  const draw = () => {
    const top = viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_H) - 10);
    const last = Math.min(n, Math.ceil((top + viewport.clientHeight) / ROW_H) + 10);
    const frag = document.createDocumentFragment();
    for (let r = first; r < last; r++) {
      const i = order[r] as number;
      const row = h('div', { class: `vrow${front.has(i) ? ' front' : ''}`, style: `top:${r * ROW_H}px`, 'data-id': String(c.id?.[i]) },
        ...CAND_COLS.map(([k, , f]) => h('span', { class: `vc c-${k}`, title: k === 'ticket_blocks' ? String(c.ticket_blocks?.[i]) : null }, f(c[k]?.[i]))));
      row.addEventListener('click', () => { picked = i; void showCandidate(i); });
      frag.append(row);
    }
    spacer.replaceChildren(frag);
  };
  viewport.addEventListener('scroll', () => requestAnimationFrame(draw), { passive: true });
  requestAnimationFrame(draw);
  setTimeout(draw, 0);
  return h('div', {}, h('div', { id: 'picked' }, pickedView()), h('div', { class: 'vtable' }, head, viewport));
}

// The candidate clicked in the table: both genomes (the original is fetched for that one only).
let picked: number | null = null;
let pickedData: Json | null = null;

function pickedView(): HTMLElement {
  if (picked === null) return h('p', { class: 'muted' }, 'Click a candidate to see its trained genome next to its ticket.');
  if (!pickedData || pickedData.index !== picked) return h('p', { class: 'muted' }, 'loading…');
  const p = pickedData;
  return h('div', { class: 'picked', 'data-id': String(p.id) }, h('h4', {}, `candidate #${String(p.id)}, generation ${String(p.generation)}`),
    h('table', { class: 'table1' }, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'accuracy'), h('th', {}, 'MMACs'), h('th', {}, 'parameters'), h('th', {}, 'genome (blocks)'))),
      h('tbody', {}, h('tr', {}, h('td', {}, 'trained'), h('td', {}, pct(p.val_acc)), h('td', {}, fixed(p.mmacs, 2)), h('td', {}, int(p.params)), h('td', { class: 'mono' }, String(p.blocks ?? ''))),
        h('tr', {}, h('td', {}, 'ticket'), h('td', {}, pct(p.ticket_acc)), h('td', {}, fixed(p.ticket_mmacs, 2)), h('td', {}, int(p.ticket_params)), h('td', { class: 'mono' }, String(p.ticket_blocks ?? ''))))));
}

async function showCandidate(i: number): Promise<void> {
  document.getElementById('picked')?.replaceChildren(pickedView());
  const r = route();
  if (r.view !== 'run') return;
  try { pickedData = { ...(await getJson(`/api/runs/${encodeURIComponent(r.name)}/candidate/${i}`)), index: i }; } catch (e) { pickedData = { index: i, blocks: String((e as Error).message) }; }
  document.getElementById('picked')?.replaceChildren(pickedView());
}

// ---- render -------------------------------------------------------------------------------------

let lastRoute = '';

function render(): void {
  const r = route();
  const key = r.view === 'run' ? `run:${r.name}` : 'list';
  const scroll = document.getElementById('candidates')?.scrollTop ?? 0;
  if (key !== lastRoute) { alphaEpoch = null; picked = null; pickedData = null; lastRoute = key; }
  const view = r.view === 'run' ? runView(r.name) : listView();
  app.replaceChildren(view);
  const cand = document.getElementById('candidates');
  if (cand && scroll) cand.scrollTop = scroll;
  pruneCharts();
  document.body.dataset.ready = '1';
}

window.addEventListener('hashchange', () => {
  const r = route();
  if (r.view === 'run') { state.detail = null; state.detailFor = ''; render(); void loadDetail(r.name); } else render();
});

void (async () => {
  try {
    await loadList();
  } catch (e) {
    app.replaceChildren(h('p', { class: 'error' }, `cannot load the runs: ${(e as Error).message}`));
    return;
  }
  connect();
  const r = route();
  if (r.view === 'run') await loadDetail(r.name); else render();
})();
