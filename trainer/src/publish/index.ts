/**
 * Stage: publishing. The model directory and its manifest, the --predictions CSV, the quality gate, and the
 * client of the edge's model registry (upload, current manifest, rollback).
 */
export {
  type Artifacts,
  type IntentInput,
  type ManifestInput,
  buildManifest,
  exportModel,
  serialiseModel,
  sha256,
  specNormalisation,
  writeModelDir,
} from './export.js';
export { type TrainingRun, manifestInput, specHistograms } from './manifest.js';
export { writePredictions } from './predictions.js';
export { GATE, type GateResult, compareMetrics, gate } from './gate.js';
export { currentManifest, edgeUrl, publish, readModelDir, rollback } from './registry.js';
