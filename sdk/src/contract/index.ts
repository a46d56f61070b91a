/** Contracts shared by sdk/, edge/ and trainer/: plain types plus valibot schemas, no other dependencies. */
export { EventSchema, LineItemSchema } from './events.js';
export type { ShoalEvent, EventType, LineItem } from './events.js';
export { FEATURE_NAMES, FEATURE_SPEC, FEATURE_SPEC_VERSION, fnv1a } from './feature-spec.js';
export type { FeatureName, FeatureSpec } from './feature-spec.js';
export { ManifestSchema, MODEL_FORMAT } from './manifest.js';
export type { ModelManifest, DenseLayer } from './manifest.js';
export { ACCEPTED_SPECS, acceptedSpec, FEATURE_RANGES } from './feature-ranges.js';
export type { AcceptedSpec } from './feature-ranges.js';
export {
  DROPPABLE_FIELDS,
  duplicateProductId,
  SYNC_INTAKE_SCHEMAS,
  SyncPayloadSchema,
  SyncPayloadV1Schema,
} from './sync.js';
export type { DroppableField, SyncPayload, SyncPayloadV1 } from './sync.js';
export { BlockConfigSchema, VariantSchema, BLOCK_ID, SEGMENT_KEY } from './blocks.js';
export type { BlockConfig, Variant } from './blocks.js';
export { ExportRowSchema } from './export.js';
export type { ExportRow } from './export.js';
export { MAX_RECOMMENDATIONS } from './recs.js';
export type { Recommendations } from './recs.js';
export { MAX_PREDICTED_SPEND, MAX_SYNC_PRODUCTS, SYNC_PAYLOAD_VERSION } from './sync-limits.js';
export { PROSPECTS } from './segments.js';
