import type { Env } from '../env.js';
import { currentManifest } from '../models/registry.js';
import { driftLevel, PSI_BANDS, psi } from './psi.js';
import { sourceOf, sourceWeight } from './sources.js';
import type { DriftLevel } from './psi.js';

/** Enough shoppers for stable shares in 10–20 bins, few enough for one quick D1 read. */
export const DRIFT_SAMPLE_MAX = 5_000;
/**
 * Fewer customers than this and PSI measures sampling noise, not drift: with 10 shoppers in 10 bins every
 * share is a multiple of 10 %, and an index above 0.25 is routine. No alarm below it.
 */
export const DRIFT_SAMPLE_MIN = 100;
/**
 * Fewer network sources than this and the sample may be one client minting ids (or one office): the alarm
 * tells merchandisers to retrain, so it needs shoppers from many networks as well as many shoppers.
 */
export const DRIFT_SOURCES_MIN = 20;
/** The usual PSI reading: above 0.25 the population has shifted enough that the model's segments mislead. */
export const DRIFT_ALARM_PSI = PSI_BANDS.significant;

export interface FeatureDrift {
  name: string;
  /** Null when the manifest's histogram for this feature is unusable or the feature never varied in training. */
  psi: number | null;
  level: DriftLevel | null;
  /**
   * The feature had one value throughout training (e.g. browsing features, absent from a transaction log):
   * the model maps it to a constant, so however it moves it cannot change a prediction, and any PSI would
   * read 0 because every value lands in the one bin.
   */
  constantInTraining: boolean;
}

export interface DriftReport {
  model: string | null;
  /** False when there is no current model or its manifest has no histograms; `reason` then says which. */
  histograms: boolean;
  reason?: string;
  window: { days: number; since: string };
  /**
   * Customers (at least one order: the population the model was trained on) whose latest aggregate, same
   * feature spec as the model, was stored inside the window.
   */
  sample: number;
  /** Shoppers in the window with no order yet: outside the training population, so not compared. */
  prospects: number;
  minSample: number;
  /** Distinct network sources of the customers (a shopper without one counts as its own), and the minimum. */
  sources: number;
  minSources: number;
  /** True when some network source made up more than its share and was counted down to it. */
  capped: boolean;
  /**
   * True when the sample is large enough, from enough networks, and some feature's PSI is above
   * {@link DRIFT_ALARM_PSI}.
   */
  alarm: boolean;
  features: FeatureDrift[];
}

/**
 * Drift of recently synced feature vectors against the training distribution the current model's manifest
 * recorded, one PSI per feature. The latest snapshot per shopper is what is stored, so each shopper counts
 * once however often they synced.
 *
 * @example
 * const report = await driftReport(env, Date.now(), 7);
 */
export async function driftReport(env: Env, now: number, days: number): Promise<DriftReport> {
  const since = now - days * 86_400_000;
  const window = { days, since: new Date(since).toISOString() };
  const manifest = await currentManifest(env);
  const version = manifest?.version ?? null;
  const none = {
    window,
    sample: 0,
    prospects: 0,
    minSample: DRIFT_SAMPLE_MIN,
    sources: 0,
    minSources: DRIFT_SOURCES_MIN,
    capped: false,
    alarm: false,
    features: [],
  };
  if (!manifest) return { model: version, histograms: false, reason: 'No model has been published yet', ...none };
  const histograms = manifest.histograms;
  if (!histograms) {
    return {
      model: version,
      histograms: false,
      reason: `Manifest of ${version} has no histograms; drift cannot be measured`,
      ...none,
    };
  }
  const { results } = await env.DB.prepare(
    `SELECT p.features, ${sourceOf('p')} AS src FROM profiles p
     WHERE p.updated_at >= ? AND p.spec_hash = ? ORDER BY p.updated_at DESC LIMIT ?`,
  )
    .bind(since, manifest.featureSpec.hash, DRIFT_SAMPLE_MAX)
    .all<{ features: string; src: string }>();
  // The trainer learns from customers (a first order before its cutoff); a visitor who has not bought yet is
  // someone else, and counting them would report drift whenever browsing outgrows buying.
  const orders = manifest.featureSpec.names.indexOf('orders');
  const all = results.map((r) => ({ x: JSON.parse(r.features) as number[], src: r.src }));
  const customers = orders < 0 ? all : all.filter((r) => r.x[orders]! > 0);
  const vectors = customers.map((r) => r.x);
  const perSource = new Map<string, number>();
  for (const { src } of customers) perSource.set(src, (perSource.get(src) ?? 0) + 1);
  const weights = customers.map(({ src }) => sourceWeight(perSource.get(src)!, customers.length));
  const features = manifest.featureSpec.names.map((name, i) => {
    const reference = histograms[i];
    const constantInTraining = reference !== undefined && reference.counts.filter((n) => n > 0).length <= 1;
    const index =
      reference && !constantInTraining && vectors.length > 0
        ? psi(
            vectors.map((x) => x[i]!),
            reference,
            weights,
          )
        : null;
    return { name, psi: index, level: index === null ? null : driftLevel(index), constantInTraining };
  });
  const sampled = weights.reduce((a, b) => a + b, 0);
  const alarm =
    sampled >= DRIFT_SAMPLE_MIN &&
    perSource.size >= DRIFT_SOURCES_MIN &&
    features.some((f) => f.psi !== null && f.psi > DRIFT_ALARM_PSI);
  return {
    model: version,
    histograms: true,
    window,
    sample: vectors.length,
    prospects: all.length - vectors.length,
    minSample: DRIFT_SAMPLE_MIN,
    sources: perSource.size,
    minSources: DRIFT_SOURCES_MIN,
    capped: weights.some((w) => w < 1),
    alarm,
    features,
  };
}
