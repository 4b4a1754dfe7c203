// `lnas evolve`: MENAS (the search, its random baseline, the final retraining and Fig. 4), then
// the report.
import { ConfigError } from '../../errors.js';
import { writeMenasReport } from '../../report/menas/index.js';
import { writeEvolveRepeatsReport } from '../../report/menas/repeats.js';
import { runEvolveRepeats } from '../../search/menas/repeats.js';
import { evolveConfigOf, evolveSections, randomTwin } from '../../search/menas/config.js';
import { evolveDirOf, runEvolve } from '../../search/menas/evolve.js';
import { EVOLVE_PRESETS } from '../../search/menas/presets.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, runsDir } from '../command.js';

const SUMMARY = `MENAS: evolutionary search over MobileNet3-MT with lottery tickets. Generation 0 is sampled
below the FLOPs budget; every candidate is trained for a few epochs on a training subset, its K
random channel-pruning proposals are BatchNorm-re-calibrated and scored on held-out images (with
--screen-images N, all on the first N and the best --screen-keep on all), and the best one (its
lottery ticket) replaces it as a parent; children come from crossover and
mutation of the top-k tickets. Candidates train on --workers parallel processes. With
--final-epochs the best ticket is retrained with the full schedule (test set); with --fig4-epochs,
generation 0's first architecture and two of its tickets are retrained alike (Fig. 4(c)).
--strategy random is the random-search baseline with the same budget; --compare-random runs both.
--repeats N runs it with N seeds (runs/evolves-<hash>/: mean ± std, Welch test against random search);
--executor queue --redis URL puts the trials on a Redis queue for \`lnas worker\` processes.
Results: runs/evolve-<hash>/ (search.json, candidates.json, summary.json, report.html, *.svg);
candidates in runs/mcand-<hash>/, retrainings in runs/mtrain-<hash>/. Re-running the same command
resumes: finished candidates are never trained again.
Presets: quick (the default: population 8, 3 generations, CIFAR-10 subsets; about an hour on 2
cores), paper (the paper's settings scaled to CIFAR; for a GPU).`;

export const evolveCommand: Command = {
  sections: evolveSections,
  summary: 'MENAS evolution with lottery tickets (or --strategy random) on parallel workers; final retraining, Fig. 4, report',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, evolveSections, 'evolve', EVOLVE_PRESETS, 'quick');
    if (help) { console.log(helpText('evolve', SUMMARY, evolveSections)); return 0; }
    if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" for \`lnas evolve\``, 'evolve');
    const cfg = evolveConfigOf(config);
    const log = (line: string) => console.error(line);
    if (cfg.repeats > 1) {
      const rep = await runEvolveRepeats(cfg, { runsDir: runsDir(), log });
      for (const [i, r] of rep.runs.entries()) writeMenasReport(r.dir, rep.compare[i]?.dir ?? null);
      const report = writeEvolveRepeatsReport(rep.dir);
      console.error(`\n${report.markdown}`);
      console.log(JSON.stringify({ dir: rep.dir, repeats: cfg.repeats, runs: rep.runs.map((r) => r.dir), compare: rep.compare.map((r) => r.dir),
        best_ticket_acc: rep.runs.map((r) => r.summary.best?.ticket_acc ?? null), compare_best_ticket_acc: rep.compare.map((r) => r.summary.best?.ticket_acc ?? null),
        wall_seconds: rep.wall_seconds, report: report.files }));
      return 0;
    }
    const twin = cfg.compareRandom && cfg.strategy === 'evolution' ? randomTwin(cfg) : null;
    const compare = twin ? evolveDirOf(twin, runsDir()) : null;
    const main = await runEvolve(cfg, { runsDir: runsDir(), log, compare });
    const other = twin ? await runEvolve(twin, { runsDir: runsDir(), log }) : null;
    const report = writeMenasReport(main.dir);
    console.error(`\n${report.markdown}`);
    console.error(`report: ${report.files.join(', ')}`);
    const s = main.summary;
    console.log(JSON.stringify({
      dir: main.dir, strategy: s.strategy, evaluations: s.evaluations, best_ticket_acc: s.best?.ticket_acc ?? null,
      best_mmacs: s.best?.ticket_mmacs ?? null, best_params: s.best?.ticket_params ?? null, final: s.final?.dir ?? null,
      compare: other?.dir ?? null, compare_best_ticket_acc: other?.summary.best?.ticket_acc ?? null, wall_seconds: s.wall_seconds, report: report.files,
    }));
    return 0;
  },
};
