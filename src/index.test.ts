// The public API: every name the README and the package entry document is reachable, and names
// that two modules define resolve to the intended one (an `export *` silently drops a name that
// another export already binds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lnas from './index.js';
import { runSearch as dartsSearch } from './search/darts/search-job.js';
import { runSearch as engineRun } from './search/evolution/run.js';

const DOCUMENTED = [
  // engine
  'Tensor', 'F', 'scope', 'noGrad', 'grad', 'manualSeed', 'setNumThreads', 'gradCheck', 'Module', 'Layer', 'Conv2d', 'BatchNorm2d', 'Linear',
  'saveSafetensors', 'loadSafetensors', 'SGD', 'Adam', 'RMSprop', 'Ema', 'fit', 'trainStep', 'evaluate', 'runTrain', 'createProgress',
  // LNAS
  'PRIMITIVES', 'parseGenotype', 'formatGenotype', 'resolveGenotype', 'DARTS_V2', 'deriveGenotype', 'Supernet', 'GenotypeNetwork', 'searchStep',
  'AlphaPruner', 'runSearch', 'runDarts',
  // MENAS and evolution
  'mobilenet', 'runEvolve', 'trainCandidate', 'measureTickets', 'SearchEngine', 'Evolution', 'RegularizedEvolution', 'RandomSearch',
  'createEngine', 'runEngine', 'choiceSpace', 'nb201',
  // export, predict, latency
  'exportOnnx', 'exportRun', 'loadRunModel', 'openPredictModel', 'measureLatency', 'LatencyMeter',
  // errors
  'LnasError', 'ConfigError', 'DataError', 'ParseError', 'isLnasError',
] as const;

test('public API: every documented name is exported', () => {
  const api = lnas as unknown as Record<string, unknown>;
  const missing = DOCUMENTED.filter((n) => api[n] === undefined);
  assert.deepEqual(missing, []);
});

test('public API: runSearch is the DARTS search and runEngine the evolution driver (both reachable)', () => {
  assert.equal(lnas.runSearch, dartsSearch);
  assert.equal(lnas.runEngine, engineRun);
});
