// Lottery-ticket pruning: masks, magnitude pruning, schedules, rewinding, and fit() hooks.
export { Mask, MASK_FORMAT, defaultPrunable, type BoundMask, type PrunablePredicate } from './mask.js';
export { magnitudePrune, keepCount, type MagnitudeOptions, type PruneAmount, type PruneScope } from './magnitude.js';
export { checkSchedule, densityAfterRound, keptAfterRound, pruneEpochs, roundsOf, totalEpochs, type PruningSchedule } from './schedule.js';
export { WeightSnapshot } from './rewind.js';
export { LotteryTicketHooks, type LotteryTicketOptions, type PruneEvent, type RewindPoint } from './lottery.js';
