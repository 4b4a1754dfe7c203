export { mobilenetChannelGroups, blockPath, type ChannelGroup, type GroupMember, type MemberKind } from './groups.js';
export { channelImportance, channelL1, keepIndices, type ImportanceKind } from './importance.js';
export { cutState } from './cut.js';
export { sliceNetwork, keptChannelIndices, checkPruningOf, type SliceOptions } from './slice.js';
export { sampleProposals, allowedRates, type ProposalOptions, type PruningProposal } from './proposals.js';
export { recalibrateBatchNorm, takeBatches, batchNorms, type BatchSet } from './recalibrate.js';
export { evaluateBatches, type Accuracy } from './evaluate.js';
export { exploreTickets, type ExploreOptions, type ExploreData, type ExploreResult, type ProposalResult } from './explore.js';
export { benchExploration, type ExplorationBench, type ExplorationBenchOptions } from './bench.js';
