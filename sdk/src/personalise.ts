import { applyBlocks, markReady } from './blocks/apply.js';
import { clearCachedScore, readCachedScore, writeCachedScore, type CachedScore } from './blocks/cache.js';
import { featureVector, type Aggregates } from './features/index.js';
import type { Guard } from './guard.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';

export type Score = CachedScore & { churn: number | null };

export interface Personaliser {
  /** Loads the ML chunk and the model once; later calls return the same promise. */
  start(agg: () => Aggregates): Promise<void>;
  /** Re-scores once the page is idle; a burst of events costs one prediction, not one each. */
  rescoreSoon(agg: () => Aggregates): Promise<void>;
  /** Back to default content and no remembered segment (consent withdrawn, forget, reset). */
  clear(): void;
  score(): Score | null;
  scorer(): Scorer | null;
}

/**
 * Scoring and blocks. A segment cached by an earlier page is applied synchronously at creation, before
 * anything async, so a returning shopper sees the right variant at once; the model then re-scores.
 */
export function createPersonaliser(opts: {
  storage: Storage | undefined;
  guard: Guard;
  load: () => Promise<Scorer>;
}): Personaliser {
  const { storage, guard } = opts;
  let scorer: Scorer | null = null;
  let score: Score | null = null;
  let started: Promise<void> | null = null;
  let pending: Promise<void> | null = null;

  const cached = readCachedScore(storage);
  if (cached) {
    score = { ...cached, churn: null };
    guard.attempt('blocks', () => applyBlocks(document, cached.segment));
    markReady(document);
  }

  const rescore = async (agg: Aggregates) => {
    if (!scorer) return;
    const p = await scorer.score(featureVector(agg, Date.now()));
    score = { segment: p.segment, valueTier: p.valueTier, model: scorer.model, churn: p.churn, at: Date.now() };
    writeCachedScore(storage, score);
    applyBlocks(document, p.segment);
  };

  return {
    start(agg) {
      started ??= guard
        .attemptAsync('model', async () => {
          scorer = await opts.load();
          await rescore(agg());
        })
        .then(() => undefined)
        .finally(() => {
          // Whatever happened, the shopper sees content: the scored variant, the cached one, or the default.
          if (!score) guard.attempt('blocks', () => applyBlocks(document, null));
          markReady(document);
        });
      return started;
    },
    rescoreSoon(agg) {
      pending ??= new Promise<void>((resolve) => {
        const run = () => {
          pending = null;
          void guard.attemptAsync('score', () => rescore(agg())).then(() => resolve());
        };
        if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 200 });
        else setTimeout(run, 16);
      });
      return pending;
    },
    clear() {
      score = null;
      clearCachedScore(storage);
      guard.attempt('blocks', () => applyBlocks(document, null));
      markReady(document);
    },
    score: () => score,
    scorer: () => scorer,
  };
}

export type { ScorerOptions };
