import { applyBlocks, markReady } from './blocks/apply.js';
import { cachedBlockConfig, fetchBlockConfig } from './blocks/config.js';
import { chooseSegment, previewSegment } from './blocks/segment-choice.js';
import { clearCachedScore, readCachedScore, writeCachedScore, type CachedScore } from './blocks/cache.js';
import { PROSPECTS } from './contract/segments.js';
import { localFeatureVector, visitInProgress, type Aggregates } from './features/index.js';
import { applyRecommendations } from './recs/render.js';
import { cachedRecommendations, fetchRecommendations } from './recs/table.js';
import type { Guard } from './guard.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';

/** The cached part plus what only a model run on this page gives: churn risk, predicted spend, intent. */
export type Score = CachedScore & {
  churn: number | null;
  spend: number | null;
  intent: number | null;
  implausible: string | null;
};

export interface Personaliser {
  /** Loads the ML chunk and the model once; later calls return the same promise. */
  start(agg: () => Aggregates): Promise<void>;
  /** Re-scores once the page is idle; a burst of events costs one prediction, not one each. */
  rescoreSoon(agg: () => Aggregates): Promise<void>;
  /** Back to default content and no remembered segment (consent withdrawn, forget, reset). */
  clear(): void;
  score(): Score | null;
  scorer(): Scorer | null;
  /** The segment a merchandiser forced for preview, or null. */
  preview: string | null;
}

export const SEGMENT_CHANGE_EVENT = 'shoal:segmentchange';
const RESCORE_WITHIN_MS = 8;

/**
 * Scoring and blocks. A segment cached by an earlier page is applied synchronously at creation, before
 * anything async, so a returning shopper sees the right variant at once; the model then re-scores.
 */
export function createPersonaliser(opts: {
  storage: Storage | undefined;
  guard: Guard;
  load: () => Promise<Scorer>;
  edgeUrl: string;
}): Personaliser {
  const { storage, guard } = opts;
  let scorer: Scorer | null = null;
  let score: Score | null = null;
  let started: Promise<void> | null = null;
  let pending: Promise<void> | null = null;

  const preview = previewSegment(location.search, document.cookie);
  let config = cachedBlockConfig(storage);
  let recs = cachedRecommendations(storage);
  // Blocks show the preview, else the scored segment: what a shopper of that segment would see.
  const show = (segment: string | null) =>
    guard.attempt('blocks', () => {
      applyBlocks(document, preview ?? segment, config);
      applyRecommendations(document, preview ?? segment, recs);
    });
  const cached = readCachedScore(storage);
  if (cached) score = { ...cached, churn: null, spend: null, intent: null, implausible: null };
  if (cached || preview) {
    show(cached?.segment ?? null);
    markReady(document);
  }

  const rescore = async (agg: Aggregates) => {
    if (!scorer) return;
    const previous = score?.segment ?? null;
    const now = Date.now();
    // One forward pass for every visitor: intent needs no order history, the customer heads do.
    const p = await scorer.score(localFeatureVector(agg, now));
    const visit = {
      model: scorer.model,
      at: now,
      // Before the visit's first event there is nothing to judge yet.
      intent: visitInProgress(agg, now) ? p.intent : null,
      implausible: p.implausible && `${p.implausible.kind}: ${p.implausible.reason}`,
    };
    if (agg.orders === 0) {
      // Not a customer yet: outside the customer heads' population, so none of their outputs (see PROSPECTS).
      score = { ...visit, segment: PROSPECTS, valueTier: null, churn: null, spend: null };
    } else {
      const probs = Object.fromEntries(scorer.segments.map((name, i) => [name, p.segmentProbs[i] ?? 0]));
      score = {
        ...visit,
        segment: chooseSegment(previous, probs),
        valueTier: p.valueTier,
        churn: p.churn,
        spend: Math.max(0, Math.expm1(p.value)),
      };
    }
    const { segment } = score;
    writeCachedScore(storage, score);
    show(segment);
    markReady(document);
    if (segment !== previous)
      dispatchEvent(
        new CustomEvent(SEGMENT_CHANGE_EVENT, { detail: { from: previous, to: segment, model: scorer.model } }),
      );
  };

  return {
    start(agg) {
      const configured = guard.attemptAsync('blocks', async () => {
        config = await fetchBlockConfig(opts.edgeUrl, storage);
        if (score || preview) show(score?.segment ?? null);
      });
      // Only on pages that have a recommendation block: other pages need not fetch the table.
      const recommended = document.querySelector('[data-shoal-recs]')
        ? guard.attemptAsync('recommendations', async () => {
            recs = await fetchRecommendations(opts.edgeUrl, storage);
            show(score?.segment ?? null);
          })
        : undefined;
      started ??= guard
        .attemptAsync('model', async () => {
          scorer = await opts.load();
          performance.mark('shoal:model-ready');
          await rescore(agg());
          performance.mark('shoal:scored');
          // Started on the cached last good model? Re-score if the edge has moved on to another one.
          if (await scorer.revalidated) await rescore(agg());
          // status() then reports the backend that was measured (or remembered), not the CPU that scored first.
          await scorer.settled;
        })
        .then(() => Promise.all([configured, recommended]))
        .then(() => undefined)
        .finally(() => {
          // Whatever happened, the shopper sees content: the scored variant, the cached one, or the default.
          if (!score) show(null);
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
        // Idle time when the page has some within RESCORE_WITHIN_MS, else a task of its own then: a re-score
        // costs about a millisecond, and intent that lags the shopper by a frame or more is visibly stale.
        if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: RESCORE_WITHIN_MS });
        else setTimeout(run, 0);
      });
      return pending;
    },
    clear() {
      score = null;
      clearCachedScore(storage);
      show(null);
      markReady(document);
    },
    score: () => score,
    scorer: () => scorer,
    preview,
  };
}

export type { ScorerOptions };
