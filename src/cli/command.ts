// What every `lnas` command is: a one-line summary for the usage list and a run over its argv.
import { join } from 'node:path';
import type { Sections } from '../config/schema.js';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
  /** The sections its --config file holds (what `lnas schema <command>` describes); absent when it takes no config file. */
  sections?: Sections;
}

/** Where run folders go: LNAS_RUNS_DIR, else ./runs. */
export const runsDir = (): string => process.env.LNAS_RUNS_DIR ?? join(process.cwd(), 'runs');

export const printJson = (v: unknown): void => console.log(JSON.stringify(v));

export const presetHelp = (names: string[]): string =>
  `Presets: ${names.join(', ')} (quick: minutes on a CPU with real data; paper: the LNAS seed's settings, for a GPU).`;
