// `lnas serve [runs folder] [--port P] [--host H]`: the live dashboard over a runs folder.
// Listens on 127.0.0.1 unless --host says otherwise, and then warns: the pages show configs and
// paths of every run in the folder to whoever can reach the port.
import { int, optStr } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { startServer } from '../../serve/server.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, runsDir } from '../command.js';

export const ServeSchema = {
  port: int('TCP port to listen on (0: any free port)', 8765, { min: 0, max: 65535 }),
  host: optStr('address to listen on (default 127.0.0.1, this machine only); anything else is reachable from the network'),
} as const;

const sections = { serve: ServeSchema };

const SUMMARY = 'a live dashboard of the runs folder in the browser: runs and their status, search curves and α, sweeps, evolutions';

export const serveCommand: Command = {
  summary: SUMMARY,
  sections,
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sections, 'serve', {}, undefined, [], { positionals: 'any' });
    if (help) {
      console.log(helpText('serve', `${SUMMARY}. Read-only; pages update when run files change (server-sent events). ` +
        'The runs folder defaults to LNAS_RUNS_DIR, else ./runs.', sections, '[runs folder] '));
      return 0;
    }
    if (positionals.length > 1) throw new ConfigError(`lnas serve takes one runs folder, got ${positionals.length} words; usage: lnas serve [runs folder] [--port P] [--host H]`, 'serve');
    const host = config.serve.host ?? '127.0.0.1';
    const s = await startServer({ root: positionals[0] ?? runsDir(), host, port: config.serve.port });
    if (config.serve.host !== null && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
      console.error(`lnas serve: warning: listening on ${host}, not only on this machine: anyone who can reach port ${s.port} sees every run in the folder (configs, paths, results). There is no login.`);
    }
    console.log(`lnas serve: ${s.url} (runs folder ${positionals[0] ?? runsDir()}; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      const stop = () => { void s.close().then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
