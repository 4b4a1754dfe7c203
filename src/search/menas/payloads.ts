// Trial folders and payloads. Both kinds of trial are content-addressed run folders
// (runs/mcand-<hash>, runs/mtrain-<hash>): the same genome trained the same way is trained once,
// whichever run asks, so the random baseline reuses the evolution's generation 0 (both draw
// their first candidates from the same seeded sampler) and a rerun reuses everything finished.
import { configHash } from '../../runs/identity.js';
import { runDirFor } from '../../runs/paths.js';
import { normalize } from '../../config/schema.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import { DataSchema } from '../../data/config.js';
import { OptimSchema } from '../../train/config.js';
import type { CandidatePayload } from './candidate.js';
import { candidateIdentity, type EvolveConfig, SpaceSchema } from './config.js';
import type { RetrainPayload } from './retrain.js';

export function candidatePayload(c: EvolveConfig, runsDir: string, genome: MobileNetGenome): CandidatePayload {
  const hash = configHash({ genome, ...candidateIdentity(c) });
  return {
    dir: runDirFor(runsDir, 'mcand', hash), genome, space: c.space, syntheticSize: c.syntheticSize, data: c.data, optim: c.optim,
    ticket: c.ticket, runtime: c.runtime, exploreSeed: (Number.parseInt(hash.slice(0, 8), 16) + c.optim.seed) >>> 0,
  };
}

/** A from-scratch retraining with the final settings for `epochs` epochs, tested on the test set. */
export function retrainPayload(c: EvolveConfig, runsDir: string, genome: MobileNetGenome, label: string, epochs: number): RetrainPayload {
  const data = { ...c.data, valSize: 0, trainLimit: 0 };
  const optim = { ...c.final.optim, epochs };
  const identity = {
    genome, space: normalize(SpaceSchema, c.space), optim: normalize(OptimSchema, optim), batchSize: c.final.batchSize, trainLimit: c.final.trainLimit,
    data: { ...normalize(DataSchema, data), dataDir: undefined, syntheticSize: c.data.dataset === 'synthetic' ? c.syntheticSize : undefined },
  };
  return {
    dir: runDirFor(runsDir, 'mtrain', configHash(identity)), label, genome, space: c.space, syntheticSize: c.syntheticSize, data,
    batchSize: c.final.batchSize, trainLimit: c.final.trainLimit, optim, runtime: c.runtime,
  };
}
