// `lnas predict <model.onnx | run folder> <image files...> | --split test`: top-k classes per image
// (JSON lines), or the accuracy on a dataset split, computed by ONNX Runtime.
import { ConfigError } from '../../errors.js';
import { int, oneOf, optStr } from '../../config/schema.js';
import { openPredictModel, predictFiles, predictSplit } from '../../experiments/predict.js';
import { helpText, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const PredictSchema = {
  split: oneOf('score a split of the model\'s dataset instead of image files (none: classify the files given)', ['none', 'test', 'train'], 'none'),
  limit: int('with --split: only the first N images (0: all)', 0, { min: 0 }),
  top: int('classes printed per image; with --split, k of the top-k accuracy', 5, { min: 1, max: 1000 }),
  threads: int('ONNX Runtime intra-op threads', 1, { min: 1, max: 1024 }),
  dataDir: optStr('dataset folder for --split (default: $LNAS_DATA_DIR, then ~/.cache/lnas/datasets)'),
} as const;
const sections = { predict: PredictSchema } as const;
const USAGE = 'lnas predict <model.onnx | run folder> <image.png|jpg ...>   or   lnas predict <model.onnx | run folder> --split test [--limit N]';

export const predictCommand: Command = {
  summary: 'classify PNG/JPEG images, or score a dataset split, with an exported model in ONNX Runtime',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sections, 'predict', {}, undefined, [], { positionals: 'any' });
    if (help) {
      console.log(helpText('predict', 'Runs an ONNX model written by lnas export (or a run folder, exported in memory) in onnxruntime-node. ' +
        'With image files: one JSON line per image with the top classes and probabilities. With --split: the accuracy on that split.', sections, '<model> [<images>] '));
      return 0;
    }
    const [model, ...images] = positionals;
    const p = config.predict;
    if (model === undefined) throw new ConfigError(`usage: ${USAGE}`, 'predict');
    if (p.split === 'none' && images.length === 0) throw new ConfigError(`give image files or --split; usage: ${USAGE}`, 'predict');
    if (p.split !== 'none' && images.length > 0) throw new ConfigError('give either image files or --split, not both', 'predict.split');
    if (p.split === 'none' && p.limit > 0) throw new ConfigError('--limit applies only with --split', 'predict.limit');
    if (p.split === 'none' && p.dataDir !== null) throw new ConfigError('--data-dir applies only with --split', 'predict.dataDir');
    const m = await openPredictModel(model, p.threads);
    if (p.split === 'none') {
      for (const r of await predictFiles(m, images, Math.min(p.top, m.classes))) console.log(JSON.stringify(r));
    } else {
      console.log(JSON.stringify(await predictSplit(m, p.split, { dataDir: p.dataDir ?? process.env.LNAS_DATA_DIR ?? null, limit: p.limit, top: p.top })));
    }
    return 0;
  },
};
