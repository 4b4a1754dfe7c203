// A private redis-server for tests: Debian's binary on a free loopback port, its data (an
// append-only file, so a restart keeps the queue) in a temp folder, stopped by its pid. Never the
// system service.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  pid: () => number;
  /** SIGTERM (redis flushes its append-only file) and wait for the exit. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, host);
    let buf = '';
    c.once('connect', () => c.write('PING\r\n'));
    c.on('data', (d) => { buf += String(d); if (buf.includes('\r\n')) { c.destroy(); resolve(buf.startsWith('+PONG')); } });
    c.once('error', () => resolve(false));
    setTimeout(() => { c.destroy(); resolve(false); }, 1000).unref();
  });
}

export async function startRedis(o: { host?: string; bind?: string; exec?: string[] } = {}): Promise<TestRedis> {
  const host = o.host ?? '127.0.0.1';
  const port = await freePort(o.bind ?? host);
  const dir = mkdtempSync(join(tmpdir(), 'lnas-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const args = ['--port', String(port), '--bind', o.bind ?? host, '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always',
      '--daemonize', 'no', '--protected-mode', 'no', '--logfile', join(dir, 'redis.log')];
    const [cmd, ...pre] = o.exec ?? [];
    child = cmd === undefined ? spawn('redis-server', args, { stdio: 'ignore' }) : spawn(cmd, [...pre, 'redis-server', ...args], { stdio: 'ignore' });
    const c = child;
    let exited = false;
    c.once('exit', () => { exited = true; });
    c.once('error', () => { exited = true; });
    for (let i = 0; i < 200; i++) {
      if (await ping(host, port)) return;
      if (exited) throw new Error(`redis-server did not start on ${host}:${port} (see ${join(dir, 'redis.log')}; is redis-server installed?)`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on ${host}:${port}`);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  process.once('exit', () => { try { child?.kill('SIGKILL'); } catch { /* gone */ } });
  return { url: `redis://${host}:${port}`, port, pid: () => child?.pid ?? -1, stop, start };
}
