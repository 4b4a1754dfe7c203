// lnas public API. The CLI (src/cli) is a thin layer over exactly these exports.
export { LnasError, ConfigError, DataError, ParseError, isLnasError } from './errors.js';

// Tensor engine (libtorch through a thin native layer)
export { Tensor, TensorError, call } from './tensor/tensor.js';
export * from './tensor/creation.js';
export * as F from './tensor/functional.js';
export { scope, pipe } from './tensor/scope.js';
export { noGrad, grad, manualSeed, setNumThreads, getNumThreads, liveTensors, engineInfo, getTorchRngState, setTorchRngState } from './tensor/runtime.js';
export { gradCheck } from './tensor/gradcheck.js';
export type { DType, MemoryFormat } from './tensor/dtype.js';

// nn, optim
export { Module, Layer } from './nn/module.js';
export * from './nn/layers.js';
export * as init from './nn/init.js';
export { saveSafetensors, loadSafetensors } from './nn/safetensors.js';
export { traceMacs, countMacs } from './nn/macs.js';
export { SGD } from './optim/sgd.js';
export { Adam } from './optim/adam.js';
export { RMSprop } from './optim/rmsprop.js';
export { clipGradNorm } from './optim/clip.js';
export { lrAt, type Schedule } from './optim/schedule.js';
export { Ema } from './optim/ema.js';

// Data, training
export * from './data/index.js';
export { fit } from './train/fit.js';
export { trainStep, evaluate, batchTensors } from './train/loop.js';
export { runTrain, type TrainJob, type TrainSummary } from './experiments/train-job.js';
export { macsOf } from './nn/macs.js';
export { createProgress } from './train/progress.js';

// DARTS / LNAS
export { PRIMITIVES, type Primitive } from './spaces/darts/primitives.js';
export { validateGenotype, genotypeToJSON, genotypeFromJSON, type Genotype } from './spaces/darts/genotype.js';
export { parseGenotype, formatGenotype } from './spaces/darts/genotype-text.js';
export { DARTS_V1, DARTS_V2, resolveGenotype } from './spaces/darts/genotypes.js';
export { deriveGenotype, alphaEntropy } from './spaces/darts/derive.js';
export { OPS } from './spaces/darts/ops.js';
export { Supernet } from './spaces/darts/supernet.js';
export { GenotypeNetwork } from './spaces/darts/network.js';
export { genotypeCost } from './spaces/darts/cost.js';
export { searchStep, firstOrderAlphaGrad, secondOrderAlphaGrad } from './search/darts/architect.js';
export { AlphaPruner } from './pruning/alpha.js';
export { runSearch } from './search/darts/search-job.js';
export { runDarts } from './experiments/darts-job.js';
export * from './pruning/index.js';

// MobileNet3-MT, channel-pruning lottery tickets, MENAS
export * as mobilenet from './spaces/mobilenet/index.js';
export * from './pruning/channel/index.js';
export * from './search/menas/index.js';

// Evolution, NAS-Bench-201
export * from './search/evolution/index.js';
export * as nb201 from './spaces/nb201/index.js';

// Export (ONNX, safetensors), prediction and latency in ONNX Runtime
export { exportOnnx, buildOnnxModel, OPSET, UnsupportedExportError } from './export/onnx.js';
export { exportRun, writeExports } from './experiments/export-run.js';
export { loadRunModel } from './experiments/run-model.js';
export { openPredictModel, predictFiles, predictSplit } from './experiments/predict.js';
export { measureLatency, measureOnnxLatency, LatencyMeter } from './export/latency.js';
