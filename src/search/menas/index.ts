export { EvolveSchema, SpaceSchema, TicketSchema, FinalSchema, evolveSections, evolveConfigOf, evolveIdentity, randomTwin, budgetOf, type EvolveConfig } from './config.js';
export { EVOLVE_PRESETS } from './presets.js';
export { runEvolve, evolveDirOf, evolveSpace, type EvolveOutcome, type EvolveOptions } from './evolve.js';
export { trainCandidate, type CandidatePayload, type CandidateResult } from './candidate.js';
export { retrainGenome, type RetrainPayload, type RetrainSummary } from './retrain.js';
export { bnEffect, type BnEffect } from './bn-effect.js';
export { measureTickets, spearman, type TicketBench, type TicketBenchOptions } from './measure.js';
export { evolvePaths, readEvolveSummary, readCandidates, isEvolveFolder, type EvolveSummary, type CandidateRecord, type GenerationStats } from './files.js';
