/**
 * Stage: publishing. The model directory and its manifest, the --predictions CSV, the quality gate, and the
 * client of the edge's model registry (upload, current manifest, rollback).
 */
export { type ManifestInput, buildManifest, exportModel, serialiseModel, sha256, writeModelDir } from './export.js';
export { type TrainingRun, manifestInput } from './manifest.js';
export { writePredictions } from './predictions.js';
export { GATE, type GateResult, compareMetrics, gate } from './gate.js';
export { currentManifest, edgeUrl, publish, readModelDir, rollback } from './registry.js';
