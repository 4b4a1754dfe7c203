// `lnas export <run folder>`: the run's trained network as ONNX (checked by ONNX Runtime when it is
// installed) and/or safetensors. Prints a JSON summary: files, sizes, export times.
import { ConfigError } from '../../errors.js';
import { int, oneOf, optStr } from '../../config/schema.js';
import { exportRun } from '../../experiments/export-run.js';
import { helpText, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const ExportSchema = {
  format: oneOf('what to write', ['onnx', 'safetensors', 'all'], 'all'),
  out: optStr('output folder (default: <run folder>/export)'),
  batch: int('ONNX batch dimension: 0 for a dynamic batch, else this fixed size', 0, { min: 0, max: 65536 }),
  network: oneOf('for a MENAS candidate folder: its lottery ticket or the trained candidate (auto: the ticket)', ['auto', 'ticket', 'candidate'], 'auto'),
} as const;
const sections = { export: ExportSchema } as const;

export const exportCommand: Command = {
  summary: 'export a run folder\'s trained network to ONNX (opset 17) and safetensors',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sections, 'export', {}, undefined, [], { positionals: 'any' });
    if (help) {
      console.log(helpText('export', 'Writes the trained network of a run folder (lnas train: small CNN or DARTS genotype network with its pruning mask ' +
        'applied; MENAS candidate folder: the lottery ticket or the candidate; MENAS retraining folder) as <role>.onnx and <role>.safetensors, ' +
        'with the architecture and normalisation in their metadata.', sections, '<run folder> '));
      return 0;
    }
    const [dir, ...rest] = positionals;
    if (dir === undefined || rest.length > 0) throw new ConfigError('usage: lnas export <run folder> [--format onnx|safetensors|all] [--out DIR]', 'export');
    const e = config.export;
    if (e.format === 'safetensors' && e.batch !== 0) throw new ConfigError('--batch sets the ONNX input; it does not apply to --format safetensors', 'export.batch');
    const r = await exportRun(dir, { format: e.format, batch: e.batch === 0 ? 'dynamic' : e.batch, network: e.network, ...(e.out === null ? {} : { out: e.out }) });
    console.log(JSON.stringify(r));
    return 0;
  },
};
