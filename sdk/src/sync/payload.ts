import { FEATURE_SPEC } from '../contract/feature-spec.js';
import type { SyncPayload } from '../contract/sync.js';
import { featureVector, type Aggregates } from '../features/index.js';

/**
 * Builds what leaves the device: the feature vector and a few counts. Raw events, product ids, order ids
 * and anything typed by the shopper stay in the browser.
 */
export function buildPayload(
  agg: Aggregates,
  now: number,
  ids: { anonymousId: string; batchId: string },
  score?: { model: string; segment: string },
): SyncPayload {
  return {
    batchId: ids.batchId,
    anonymousId: ids.anonymousId,
    specVersion: FEATURE_SPEC.version,
    specHash: FEATURE_SPEC.hash,
    features: featureVector(agg, now),
    counts: { events: agg.events, orders: agg.orders, productViews: agg.productViews, addToCarts: agg.addToCarts, sessions: agg.sessions },
    ...(score ? { modelVersion: score.model, segment: score.segment } : {}),
    sentAt: now,
  };
}
