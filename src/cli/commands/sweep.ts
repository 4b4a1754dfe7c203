// `lnas sweep`: runs the LNAS experiment on a pool of workers, then writes its report.
import { ConfigError } from '../../errors.js';
import { runSweep } from '../../experiments/sweep.js';
import { SWEEP_PRESETS, sweepConfigOf, sweepSections } from '../../experiments/sweep-config.js';
import { writeReport } from '../../report/lnas/index.js';
import { writeSweepRepeatsReport } from '../../report/lnas/repeats.js';
import { runSweepRepeats } from '../../experiments/sweep-repeats.js';
import { helpText, parseArgs } from '../args.js';
import { type Command, runsDir } from '../command.js';

const SUMMARY = `Run the LNAS experiment: the DARTS baseline (search + retraining), and for every variant and
sparsity level p: v1 = the baseline's genotype retrained with one-shot weight pruning at p and
rewinding to θ0; v2 = a search pruning α to sparsity p, then a dense retraining; alg3 = v2's
search, then v1's retraining. Shared stages run once, on --workers parallel processes.
Results go to runs/sweep-<hash>/ (sweep.json, progress.json, table1.md/.csv/.json, figure1.svg,
report.html); each worker's output goes to trials/<stage>.log there. Re-running the same command
resumes; finished stages are not run again.
--repeats N runs the whole sweep with N seeds as independent trials (runs/sweeps-<hash>/: mean ± std
and a two-sided Welch t-test of every run against the baseline). --executor queue --redis URL puts
the trials on a Redis queue for \`lnas worker\` processes on any number of machines.
Presets: quick (the default: 3 sparsities, CIFAR-10 subsets; under an hour on 2 cores), paper (the
seed's settings: 8 sparsities, 10 search and 20 retraining epochs; for a GPU). Flags override the
preset; the search's own hyperparameters are the --search-* flags.`;

export const sweepCommand: Command = {
  sections: sweepSections,
  summary: 'the LNAS experiment: variants × sparsity levels + the DARTS baseline on parallel workers; Table 1, Figure 1',
  async run(argv) {
    const { config, help, positionals } = parseArgs(argv, sweepSections, 'sweep', SWEEP_PRESETS, 'quick');
    if (help) {
      const presets = Object.entries(SWEEP_PRESETS).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
      console.log(`${helpText('sweep', SUMMARY, sweepSections)}\n\nPresets (the defaults listed above are before the preset is applied):\n${presets}`);
      return 0;
    }
    if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" for \`lnas sweep\``, 'sweep');
    const cfg = sweepConfigOf(config);
    // Exiting runs the pool's exit hook, which kills the workers; every stage stays resumable.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\nlnas sweep: interrupted (${signal}); run the same command again to resume`);
        process.exit(130);
      });
    }
    if (cfg.repeats > 1) {
      const rep = await runSweepRepeats(cfg, { runsDir: runsDir(), log: (line) => console.error(line) });
      for (const x of rep.outcomes) writeReport(x.dir);
      const report = writeSweepRepeatsReport(rep.dir);
      console.error(`\n${report.markdown}`);
      console.error(`report: ${report.files.join(', ')}`);
      console.log(JSON.stringify({ dir: rep.dir, repeats: cfg.repeats, sweeps: rep.outcomes.map((x) => x.dir), failed: rep.failed, wall_seconds: rep.wall_seconds, report: report.files }));
      if (rep.failed.length > 0) console.error(`lnas sweep: ${rep.failed.length} stage(s) failed or were blocked: ${rep.failed.join(', ')}; run the same command again`);
      return rep.failed.length > 0 ? 1 : 0;
    }
    const out = await runSweep(cfg, { runsDir: runsDir(), log: (line) => console.error(line) });
    const report = writeReport(out.dir);
    console.error(`\n${report.markdown}`);
    console.error(`report: ${report.files.join(', ')}`);
    console.log(JSON.stringify({ dir: out.dir, runs: out.plan.runs.length, stages: Object.keys(out.stages).length, failed: out.failed,
      workers: out.workers, threads: out.threads, wall_seconds: out.wall_seconds, report: report.files }));
    if (out.failed.length > 0) console.error(`lnas sweep: ${out.failed.length} stage(s) failed or were blocked: ${out.failed.join(', ')}; see ${out.dir}/trials/*.log, then run the same command again`);
    return out.failed.length > 0 ? 1 : 0;
  },
};
