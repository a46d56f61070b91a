import { FEATURE_SPEC } from '../contract/feature-spec.js';
import type { SyncPayload } from '../contract/sync.js';
import { SYNC_PAYLOAD_VERSION } from '../contract/sync-limits.js';
import { localFeatureVector, type Aggregates } from '../features/index.js';
import { topProducts, type ProductInterest } from '../recs/interest.js';

/** What the model said about the shopper; spend and churn are null until this page has scored. */
export interface PayloadScore {
  model: string;
  segment: string;
  valueTier: string | null;
  churn: number | null;
  spend: number | null;
}

/** A prediction that is NaN, infinite or missing is left out: it must never make the whole sync invalid. */
const finite = (x: number | null | undefined): x is number => Number.isFinite(x);

/**
 * Builds what leaves the device: the feature vector, a few counts, the model's outputs and the strongest
 * product interests as weighted counts. Raw events, their times, order ids, categories, search queries and
 * anything typed by the shopper stay in the browser.
 */
export function buildPayload(
  agg: Aggregates,
  interest: ProductInterest,
  now: number,
  ids: { anonymousId: string; batchId: string },
  score?: PayloadScore,
): SyncPayload {
  const products = topProducts(interest);
  return {
    batchId: ids.batchId,
    anonymousId: ids.anonymousId,
    specVersion: FEATURE_SPEC.version,
    specHash: FEATURE_SPEC.hash,
    features: localFeatureVector(agg, now),
    counts: {
      events: agg.events,
      orders: agg.orders,
      productViews: agg.productViews,
      addToCarts: agg.addToCarts,
      sessions: agg.sessions,
    },
    ...(score ? { modelVersion: score.model, segment: score.segment } : {}),
    ...(score?.valueTier ? { valueTier: score.valueTier } : {}),
    ...(finite(score?.churn) ? { churnRisk: score.churn } : {}),
    ...(finite(score?.spend) ? { predictedSpend: score.spend } : {}),
    ...(products.length ? { products } : {}),
    sentAt: now,
    payloadVersion: SYNC_PAYLOAD_VERSION,
    // Events folded in so far: grows with every event in every tab, so the edge keeps the newest snapshot
    // whatever the device's clock says.
    seq: agg.events,
  };
}
