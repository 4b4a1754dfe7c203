#!/usr/bin/env node
// lnas command line. Argument parsing only: the work is done by what src/index.ts exports.
import { readFileSync } from 'node:fs';
import { clip } from '../config/schema.js';
import { Interrupted, LnasError } from '../errors.js';
import type { Command } from './command.js';
import { didYouMean } from './suggest.js';

/** The version in the package.json this CLI was installed with. */
function version(): string {
  try {
    return String((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

const usage = (COMMANDS: Readonly<Record<string, Command>>) => `lnas — neural architecture search with lottery tickets, on libtorch

Usage: lnas <command> [options]      (lnas <command> --help for its options)

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Options anywhere: --help, --config FILE (JSON or YAML), -- (ends the options); lnas --version.
Environment: LNAS_DATA_DIR (dataset folder), LNAS_RUNS_DIR (run folders, default ./runs),
HTTPS_PROXY / HTTP_PROXY / NO_PROXY (dataset downloads).`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') { console.log(version()); return 0; }
  // A web server: `lnas serve` loads neither libtorch nor the training code (45 MB of RSS instead of 210).
  if (name === 'serve') return (await import('./commands/serve.js')).serveCommand.run(rest);
  const { COMMANDS, HIDDEN_COMMANDS } = await import('./commands/index.js');
  const USAGE = usage(COMMANDS);
  if (name === 'help' && rest.length > 0) return main([rest[0] as string, '--help']);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : Object.hasOwn(HIDDEN_COMMANDS, name) ? HIDDEN_COMMANDS[name] : undefined;
  if (!command) {
    console.error(`lnas: unknown command ${JSON.stringify(clip(name))}${didYouMean(name, Object.keys(COMMANDS))}\n\n${USAGE}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof Interrupted) {
      // Asked to stop (Ctrl-C): the run checkpointed where it was; not an error.
      console.error(`lnas: ${e.message}`);
      process.exitCode = 130;
    } else if (e instanceof LnasError) {
      // A user's mistake or a bad file: the message says what to do; no stack trace.
      console.error(`lnas: error [${e.code}]${e.path ? ` at ${e.path}` : ''}: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error('lnas: internal error (please report):', e);
      process.exitCode = 1;
    }
  },
);
