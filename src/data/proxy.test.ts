// Downloads through a proxy: a real local HTTP proxy (absolute-form GETs forwarded, CONNECT
// tunnelled with net.connect) in front of a local HTTP server and a local HTTPS server with a
// throw-away certificate (openssl). The proxy records what it was asked; NO_PROXY bypasses it.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fetchToFile, noProxy, proxyFor } from './download.js';
import { md5 } from './testing.js';

const PAYLOAD = Buffer.from('lnas proxy test payload\n'.repeat(100));
const port = (s: { address(): unknown }) => (s.address() as AddressInfo).port;

describe('downloads honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'lnas-proxy-'));
  const seen: string[] = [];
  let refuse = false;
  let origin: Server;
  let secure: ReturnType<typeof createHttpsServer>;
  let proxy: Server;
  const saved = { ...process.env };

  before(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(tmp, 'key.pem'), '-out', join(tmp, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    origin = createServer((req, res) => { res.writeHead(req.url === '/data.bin' ? 200 : 404, { 'content-length': String(PAYLOAD.length) }).end(new Uint8Array(PAYLOAD)); });
    secure = createHttpsServer({ key: readFileSync(join(tmp, 'key.pem')), cert: readFileSync(join(tmp, 'cert.pem')) },
      (req, res) => { res.writeHead(req.url === '/data.bin' ? 200 : 404, { 'content-length': String(PAYLOAD.length) }).end(new Uint8Array(PAYLOAD)); });
    proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} auth=${req.headers['proxy-authorization'] ?? ''}`);
      const u = new URL(req.url ?? '');
      const up = request({ host: u.hostname, port: u.port, path: u.pathname, headers: req.headers }, (r: IncomingMessage) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
      up.on('error', () => res.writeHead(502).end());
      up.end();
    });
    proxy.on('connect', (req: IncomingMessage, socket, head: Buffer) => {
      seen.push(`CONNECT ${req.url} auth=${req.headers['proxy-authorization'] ?? ''}`);
      if (refuse) { socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'); return; }
      const [h, p] = (req.url ?? '').split(':');
      const up = connect(Number(p), h as string, () => { socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'); up.write(new Uint8Array(head)); up.pipe(socket); socket.pipe(up); });
      up.on('error', () => socket.destroy());
    });
    await Promise.all([origin, secure, proxy].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
  });

  after(() => {
    process.env = saved;
    for (const s of [origin, secure, proxy]) s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('picks the proxy by scheme and honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://p:3128', HTTP_PROXY: 'proxy.local:8080', NO_PROXY: 'localhost,.internal.example,10.0.0.1:8443' };
    assert.equal(proxyFor(new URL('https://www.cs.toronto.edu/x'), env)?.href, 'http://p:3128/');
    assert.equal(proxyFor(new URL('http://example.com/x'), env)?.href, 'http://proxy.local:8080/');
    assert.equal(proxyFor(new URL('http://example.com/x'), { https_proxy: 'http://p:1' }), null);
    assert.equal(proxyFor(new URL('https://localhost/x'), env), null);
    assert.equal(proxyFor(new URL('https://a.internal.example/x'), env), null);
    assert.ok(noProxy(new URL('https://10.0.0.1:8443/'), env));
    assert.ok(!noProxy(new URL('https://10.0.0.1/'), env));
    assert.ok(noProxy(new URL('https://anything/'), { NO_PROXY: '*' }));
    assert.throws(() => proxyFor(new URL('https://x/'), { HTTPS_PROXY: 'socks5://p:1' }), /only http:\/\/ proxies/);
  });

  it('fetches plain HTTP through the proxy (with its credentials), and directly for NO_PROXY hosts', async () => {
    process.env = { ...saved, HTTP_PROXY: `http://user:pa%20ss@127.0.0.1:${port(proxy)}`, NO_PROXY: '' };
    seen.length = 0;
    const url = `http://127.0.0.1:${port(origin)}/data.bin`;
    assert.equal(await fetchToFile(url, join(tmp, 'a')), md5(new Uint8Array(PAYLOAD)));
    assert.deepEqual(seen, [`GET ${url} auth=Basic ${Buffer.from('user:pa ss').toString('base64')}`]);
    process.env.NO_PROXY = '127.0.0.1';
    seen.length = 0;
    assert.equal(await fetchToFile(url, join(tmp, 'b')), md5(new Uint8Array(PAYLOAD)));
    assert.deepEqual(seen, []);
  });

  it('tunnels HTTPS through CONNECT with the certificate checked end to end; a refused tunnel is a clear error', async () => {
    const mod = join(dirname(fileURLToPath(import.meta.url)), 'download.js');
    // A child process (NODE_EXTRA_CA_CERTS is read at start-up), run asynchronously: the servers live in this one.
    const run = (extra: Record<string, string>) => new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e',
        `import { fetchToFile } from ${JSON.stringify(mod)}; fetchToFile(process.argv[1], process.argv[2], { timeoutMs: 10000 }).then((h) => console.log(h), (e) => { console.log('ERR ' + e.message); });`,
        `https://localhost:${port(secure)}/data.bin`, join(tmp, 'c')], { env: { ...saved, HTTPS_PROXY: `http://127.0.0.1:${port(proxy)}`, NO_PROXY: '', ...extra } });
      let stdout = ''; let stderr = '';
      child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.on('close', () => resolve({ stdout, stderr }));
    });
    seen.length = 0;
    const ok = await run({ NODE_EXTRA_CA_CERTS: join(tmp, 'cert.pem') });
    assert.equal(ok.stdout.trim(), md5(new Uint8Array(PAYLOAD)), ok.stderr);
    assert.deepEqual(seen, [`CONNECT localhost:${port(secure)} auth=`]);
    const untrusted = await run({});
    assert.match(untrusted.stdout, /^ERR .*(self-signed|certificate)/i, 'without the CA the tunnelled TLS is refused');
    refuse = true;
    const refused = await run({ NODE_EXTRA_CA_CERTS: join(tmp, 'cert.pem') });
    refuse = false;
    assert.match(refused.stdout, /^ERR proxy 127\.0\.0\.1:\d+ refused the tunnel to localhost:\d+: HTTP 407/);
  });
});
