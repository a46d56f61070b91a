import type { Consent } from './consent.js';
import type { DeliveryStats } from './sync/delivery.js';

export interface ShoalStatus {
  /**
   * 'ready' once shoal.js runs. Before that the snippet answers 'loading', and 'failed' when shoal.js did not
   * arrive (blocked, unreachable, or not there within the snippet's timeout), with nothing in force.
   */
  state: 'loading' | 'ready' | 'failed';
  backend: string | null;
  /** Why that backend: skipped candidates, failures, and what each measured per row. */
  backendReason: string | null;
  /** Set when the edge's current model was refused (spec, checksum, unreachable) and the last good one runs. */
  modelRefused: string | null;
  model: string | null;
  segment: string | null;
  /** True when `segment` is a merchandiser's preview (?shoal_segment= or cookie), not this shopper's. */
  preview: boolean;
  valueTier: string | null;
  churn: number | null;
  /**
   * Probability in [0, 1] that this visit ends in an order, re-scored after every event for every visitor.
   * Null before the visit's first event, without a model with an intent tower, and for an implausible visit.
   */
  intent: number | null;
  /** Why this visit gets no intent: `bot: …` (e.g. hundreds of views a minute) or `invalid: …` (NaN, negative). */
  implausible: string | null;
  storage: 'indexeddb' | 'memory' | 'opening';
  consent: Consent;
  /** Why nothing is synced, or null when syncing is on. `preview`: a merchandiser's preview is not a shopper. */
  syncBlocked: 'gpc' | 'consent' | 'preview' | null;
  identified: boolean;
  events: number;
  rejected: number;
  /** Batches the edge has accepted from this page. */
  synced: number;
  outbox: DeliveryStats;
  errors: number;
  lastError: string | null;
}
