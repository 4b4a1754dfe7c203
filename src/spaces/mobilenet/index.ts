export {
  STAGES, MAX_DEPTH, IMAGENET_CONFIG, CIFAR_CONFIG, mobilenetConfig, checkConfig, strided,
  type Activation, type MobileNetChoices, type MobileNetSpaceConfig, type MobileNetPreset, type MobileNetConfigOverrides,
} from './config.js';
export {
  geneLabels, downLabels, layerLabel, choiceTable, gene, viewGenome, countDownsamples, withPruneRates, validateGenome,
  type MobileNetGenome, type LayerLabel, type GenomeView, type StageGenes, type LayerGenes,
} from './genome.js';
export { makeDivisible, keptChannels, resolveArch, archKey, type LayerArch, type MobileNetArch } from './arch.js';
export { archMacs, archParams, layerMacs, layerParams } from './cost.js';
export { layerBlockString, stageBlockStrings, formatArch } from './block-string.js';
export { ConvBnAct, InvertedResidual, ACTIVATIONS, type ConvBnActOptions } from './blocks.js';
export { MobileNetNetwork } from './network.js';
export { mobilenetSpace, type MobileNetSpace } from './space.js';
