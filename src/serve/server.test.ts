// The dashboard server over real run folders on disk: statuses decided from the files (live,
// dead and absent lock holders), events pushed when files change, and every way out of the runs
// folder refused.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng } from '../util/rng.js';
import { type DashboardServer, startServer } from './server.js';
import { searchEpochLine, writeSyntheticEvolve, writeSyntheticSearch, writeSyntheticSweep } from './synthetic.js';

/** A GET with the path sent as written (fetch() would fold `..` away before sending it). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Collects server-sent events; `next(pred)` resolves with the first (past or future) that matches. */
function events(port: number) {
  const seen: { event: string; data: unknown; at: number }[] = [];
  const waiters: { pred: (e: { event: string; data: unknown }) => boolean; resolve: (e: { event: string; data: unknown; at: number }) => void }[] = [];
  let buf = '';
  const req = request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i); buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev === undefined || data === undefined) continue;
        const e = { event: ev, data: JSON.parse(data) as unknown, at: Date.now() };
        seen.push(e);
        for (const w of [...waiters]) if (w.pred(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
      }
    });
  });
  req.end();
  return {
    next(pred: (e: { event: string; data: unknown }) => boolean, timeoutMs = 5000, since = 0) {
      const old = seen.find((e) => e.at >= since && pred(e));
      if (old) return Promise.resolve(old);
      return new Promise<{ event: string; data: unknown; at: number }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching event in time')), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e); } });
      });
    },
    close: () => req.destroy(),
  };
}

type Row = { name: string; status: string; done: number; total: number | null; kind: string; eta_s: number | null; why: string };
const rowsOf = (e: { data: unknown }) => (e.data as { rows: Row[] }).rows;

describe('lnas serve: API and events', () => {
  let root: string;
  let assets: string;
  let server: DashboardServer;
  let holder: ChildProcess;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lnas-serve-'));
    assets = mkdtempSync(join(tmpdir(), 'lnas-serve-assets-'));
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>t</title>');
    writeSyntheticSearch(root, 'search-finished', { epochs: 3, done: 3 });
    writeSyntheticSearch(root, 'search-running', { epochs: 4, done: 1 });
    writeSyntheticSearch(root, 'search-failed', { epochs: 4, done: 2 });
    writeSyntheticSearch(root, 'search-killed', { epochs: 4, done: 2 });
    holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)', 'lnas-serve-test-holder'], { stdio: 'ignore' });
    writeFileSync(join(root, 'search-running', 'run.lock'), JSON.stringify({ pid: holder.pid, what: 'lnas-serve-test-holder' }));
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(join(root, 'search-killed', 'run.lock'), JSON.stringify({ pid: dead.pid, what: 'lnas-serve-test-dead' }));
    writeSyntheticEvolve(root, { trials: 40, generations: 4, name: 'evolve-abc123' });
    writeSyntheticSweep(root, { name: 'sweep-def456' });
    symlinkSync('/etc/passwd', join(root, 'search-finished', 'passwd-link'));
    server = await startServer({ root, assets, livenessMs: 200 });
  });

  after(async () => {
    await server.close();
    holder.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    rmSync(assets, { recursive: true, force: true });
  });

  it('lists runs with a status decided from their files, trials counted apart', async () => {
    const r = await rawGet(server.port, '/api/runs');
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { runs: Row[]; trials: number };
    const by = Object.fromEntries(body.runs.map((x) => [x.name, x]));
    assert.equal(by['search-finished']?.status, 'finished');
    assert.equal(by['search-running']?.status, 'running');
    assert.equal(by['search-killed']?.status, 'killed');
    assert.equal(by['search-failed']?.status, 'failed');
    assert.equal(by['evolve-abc123']?.status, 'finished');
    assert.deepEqual([by['search-running']?.done, by['search-running']?.total], [1, 4]);
    assert.ok((by['search-running']?.eta_s ?? -1) > 0, 'a running search has an ETA');
    assert.equal(by['search-finished']?.eta_s, null);
    assert.equal(body.trials, 40);
    assert.ok(!body.runs.some((x) => x.name.startsWith('mcand-')));
  });

  it('pushes an event within 2 s when an epoch is appended, a new run appears, or a holder dies', async () => {
    const ev = events(server.port);
    try {
      await ev.next((e) => e.event === 'hello');
      const t0 = Date.now();
      appendFileSync(join(root, 'search-running', 'metrics.jsonl'), JSON.stringify(searchEpochLine(2, 4, new Rng(3))) + '\n');
      const e1 = await ev.next((e) => e.event === 'runs' && rowsOf(e).some((x) => x.name === 'search-running' && x.done === 2), 2000, t0);
      assert.ok(e1.at - t0 < 2000);
      const t1 = Date.now();
      writeSyntheticSearch(root, 'search-new', { epochs: 2, done: 1 });
      await ev.next((e) => e.event === 'runs' && rowsOf(e).some((x) => x.name === 'search-new'), 2000, t1);
      const t2 = Date.now();
      holder.kill('SIGKILL');
      const e3 = await ev.next((e) => e.event === 'runs' && rowsOf(e).some((x) => x.name === 'search-running' && x.status === 'killed'), 3000, t2);
      assert.match(rowsOf(e3).find((x) => x.name === 'search-running')?.why ?? '', /gone/);
    } finally {
      ev.close();
    }
  });

  it('serves run details: search metrics with α, evolution candidates as columns and its Pareto front', async () => {
    const s = JSON.parse((await rawGet(server.port, '/api/runs/search-finished')).body) as { metrics: { alpha_normal: number[][] }[] };
    assert.equal(s.metrics.length, 3);
    assert.equal(s.metrics[0]?.alpha_normal.length, 14);
    const e = JSON.parse((await rawGet(server.port, '/api/runs/evolve-abc123')).body) as {
      candidates: { id: number[]; ticket_params: number[]; ticket_acc: number[]; ticket_blocks: string[] }; pareto: number[];
    };
    const c = e.candidates;
    assert.equal(c.id.length, 40);
    assert.match(c.ticket_blocks[0] ?? '', /^ir_r1_k\d/);
    assert.equal((c as { blocks?: unknown }).blocks, undefined, 'original genomes are sent one at a time');
    const one = JSON.parse((await rawGet(server.port, '/api/runs/evolve-abc123/candidate/3')).body) as { id: number; blocks: string; ticket_blocks: string };
    assert.equal(one.id, c.id[3]);
    assert.match(one.blocks, /^ir_r1_k\d/);
    assert.equal((await rawGet(server.port, '/api/runs/evolve-abc123/candidate/40')).status, 404);
    assert.ok(e.pareto.length >= 1);
    for (const i of e.pareto) {
      const dominated = c.id.some((_, j) => (c.ticket_params[j] as number) <= (c.ticket_params[i] as number) && (c.ticket_acc[j] as number) >= (c.ticket_acc[i] as number)
        && ((c.ticket_params[j] as number) < (c.ticket_params[i] as number) || (c.ticket_acc[j] as number) > (c.ticket_acc[i] as number)));
      assert.ok(!dominated, `front point ${i} is dominated`);
    }
    const sw = JSON.parse((await rawGet(server.port, '/api/runs/sweep-def456')).body) as {
      row: Row; table1: { run: string; acc_half: number | null; acc_full: number | null }[]; runs: { name: string; genotype: unknown; train_run: string | null }[] };
    assert.deepEqual([sw.row.done, sw.row.total, sw.row.status], [3, 4, 'failed'], 'a sweep with a stage left and no sweep.lock has stopped');
    const base = sw.table1.find((r) => r.run === 'baseline');
    assert.ok(base && Math.abs((base.acc_half ?? 0) - 0.38) < 1e-9 && Math.abs((base.acc_full ?? 0) - 0.46) < 1e-9, JSON.stringify(base));
    assert.equal(sw.table1.find((r) => r.run === 'v2-0.5')?.acc_full, null, 'Table 1 fills in: the unfinished retraining has no accuracy yet');
    assert.ok(sw.runs.every((r) => r.genotype !== null));
    assert.match(sw.runs[0]?.train_run ?? '', /^train-/);
    const gz = await rawGet(server.port, '/api/runs/evolve-abc123', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
  });

  it('refuses paths out of the runs folder, other hosts and writes', async () => {
    const ok = await rawGet(server.port, '/files/search-finished/metrics.jsonl');
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-type']), /^text\/plain/);
    for (const p of ['/files/../../../../etc/passwd', '/files/%2e%2e/%2e%2e/etc/passwd', '/files/search-finished/..%2f..%2fetc%2fpasswd', '/files//etc/passwd',
      '/files/search-finished/passwd-link', '/files/%2Fetc%2Fpasswd', '/api/runs/..', '/api/runs/%2e%2e', '/assets/..%2f..%2fpackage.json']) {
      const r = await rawGet(server.port, p);
      assert.ok(r.status === 403 || r.status === 404, `${p} answered ${r.status}`);
      assert.ok(!r.body.includes('root:'), `${p} leaked a file`);
    }
    assert.equal((await rawGet(server.port, '/files/search-finished/passwd-link')).status, 403);
    assert.equal((await rawGet(server.port, '/api/runs', { host: 'evil.example:80' })).status, 403);
    assert.equal((await rawGet(server.port, '/api/runs', {}, 'POST')).status, 405);
    const page = await rawGet(server.port, '/');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  });

  it('lnas serve: prints its URL, warns when --host opens it to the network, stops on SIGTERM', async () => {
    const main = new URL('../cli/main.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [main, 'serve', root, '--port', '0', '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const deadline = Date.now() + 10_000;
    while (!/http:\/\/0\.0\.0\.0:\d+\//.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    assert.match(out, /lnas serve: http:\/\/0\.0\.0\.0:(\d+)\//, err);
    assert.match(err, /warning: listening on 0\.0\.0\.0.*no login/);
    const port = Number(/:(\d+)\//.exec(out)?.[1]);
    const list = await rawGet(port, '/api/runs');
    assert.equal(list.status, 200, 'with --host, other Host names are allowed');
    child.kill('SIGTERM');
    assert.equal(await new Promise((r) => child.once('exit', (code) => r(code))), 0);
    const two = spawn(process.execPath, [main, 'serve', root, root], { stdio: ['ignore', 'ignore', 'pipe'] });
    let twoErr = '';
    two.stderr.on('data', (c: Buffer) => { twoErr += c.toString(); });
    assert.equal(await new Promise((r) => two.once('exit', (code) => r(code))), 2);
    assert.match(twoErr, /takes one runs folder/);
  });

  it('refuses a runs folder that is not a folder, with a typed error', async () => {
    await assert.rejects(startServer({ root: join(root, 'nope'), assets }), (e: Error & { code?: string }) => e.code === 'LNAS_RUNS_DIR');
    mkdirSync(join(root, 'x'), { recursive: true });
    await assert.rejects(startServer({ root, assets: join(root, 'x') }), (e: Error & { code?: string }) => e.code === 'LNAS_SERVE_ASSETS');
  });
});
