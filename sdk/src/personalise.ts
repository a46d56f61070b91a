import { applyBlocks, markReady } from './blocks/apply.js';
import { cachedBlockConfig, fetchBlockConfig } from './blocks/config.js';
import { chooseSegment, previewSegment } from './blocks/segment-choice.js';
import { clearCachedScore, readCachedScore, writeCachedScore, type CachedScore } from './blocks/cache.js';
import { PROSPECTS } from './contract/segments.js';
import { localFeatureVector, visitInProgress, type Aggregates } from './features/index.js';
import type { Guard } from './guard.js';
import { applyRecommendations } from './recs/render.js';
import { cachedRecommendations, fetchRecommendations } from './recs/table.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';

/** The cached part plus what only a model run on this page gives: churn risk, predicted spend, intent. */
export type Score = CachedScore & {
  churn: number | null;
  spend: number | null;
  intent: number | null;
  implausible: string | null;
};

export interface Personaliser {
  /**
   * Shows the segment an earlier page cached (synchronously, so a returning shopper sees the right variant at
   * once), then loads the ML chunk and the model, and the block content, once; later calls return the same
   * promise.
   */
  start(): Promise<void>;
  /** Personalisation is off: default content, nothing remembered. */
  stop(): void;
  /** Re-scores once the page is idle; a burst of events costs one prediction, not one each. */
  rescoreSoon(): Promise<void>;
  /** Settles once the latest re-score asked for has run. */
  rescored(): Promise<void>;
  /**
   * No remembered segment (forget, reset); the blocks go back to default content once they are Shoal's to
   * show (after start() or stop(): before, a queued call must not reveal anything).
   */
  clear(): void;
  score(): Score | null;
  scorer(): Scorer | null;
  /** The segment a merchandiser forced for preview, or null. */
  preview: string | null;
}

export const SEGMENT_CHANGE_EVENT = 'shoal:segmentchange';
const RESCORE_WITHIN_MS = 8;

/** Scores with a freshly loaded model, again if it replaced a cached one, until its backend is chosen. */
async function runModel(scorer: Scorer, rescore: () => Promise<void>): Promise<void> {
  performance.mark('shoal:model-ready');
  await rescore();
  performance.mark('shoal:scored');
  // Started on the cached last good model? Re-score if the edge has moved on to another one.
  if (await scorer.revalidated) await rescore();
  // status() then reports the backend that was measured (or remembered), not the CPU that scored first.
  await scorer.settled;
}

/**
 * The shopper's score now; `previous` is the segment shown so far (a segment changes only by a margin). One
 * forward pass for every visitor: intent needs no order history, the customer heads do.
 */
async function scoreShopper(scorer: Scorer, agg: Aggregates, previous: string | null): Promise<Score> {
  const now = Date.now();
  const p = await scorer.score(localFeatureVector(agg, now));
  const visit = {
    model: scorer.model,
    at: now,
    // Before the visit's first event there is nothing to judge yet.
    intent: visitInProgress(agg, now) ? p.intent : null,
    implausible: p.implausible && `${p.implausible.kind}: ${p.implausible.reason}`,
  };
  // Not a customer yet: outside the customer heads' population, so none of their outputs (see PROSPECTS).
  if (agg.orders === 0) return { ...visit, segment: PROSPECTS, valueTier: null, churn: null, spend: null };
  const probs = Object.fromEntries(scorer.segments.map((name, i) => [name, p.segmentProbs[i] ?? 0]));
  return {
    ...visit,
    segment: chooseSegment(previous, probs),
    valueTier: p.valueTier,
    churn: p.churn,
    spend: Math.max(0, Math.expm1(p.value)),
  };
}

const announce = (from: string | null, to: string, model: string) =>
  dispatchEvent(new CustomEvent(SEGMENT_CHANGE_EVENT, { detail: { from, to, model } }));

/**
 * Coalesces calls into one run of `fn` when the page is next idle, or in a task of its own RESCORE_WITHIN_MS
 * later: a burst of events costs one prediction, not one each, and a re-score (about a millisecond) never lags
 * the shopper by a frame or more. `latest()` settles once the last run asked for is over.
 */
function idleBatch(fn: () => Promise<unknown>) {
  let pending: Promise<void> | null = null;
  let latest: Promise<void> = Promise.resolve();
  const run = (resolve: () => void) => () => {
    pending = null;
    void fn().then(resolve);
  };
  return {
    soon() {
      pending ??= new Promise<void>((resolve) =>
        typeof requestIdleCallback === 'function'
          ? requestIdleCallback(run(resolve), { timeout: RESCORE_WITHIN_MS })
          : setTimeout(run(resolve), 0),
      );
      latest = pending;
      return pending;
    },
    latest: () => latest,
  };
}

/** Shows `segment`'s variants and recommendations (the preview's, when a merchandiser previews one). */
const showBlocks = (
  guard: Guard,
  segment: string | null,
  config: Parameters<typeof applyBlocks>[2],
  recs: Parameters<typeof applyRecommendations>[2],
) =>
  guard.attempt('blocks', () => {
    applyBlocks(document, segment, config);
    applyRecommendations(document, segment, recs);
  });

export interface PersonaliserOptions {
  storage: Storage | undefined;
  guard: Guard;
  load: () => Promise<Scorer>;
  edgeUrl: string;
  /** The shopper's aggregate, everything tracked so far folded in (once start-up's storage work is done). */
  aggregates: () => Promise<Aggregates>;
}

/** Scoring and blocks; nothing shows or runs before start() or stop(). */
export function createPersonaliser(opts: PersonaliserOptions): Personaliser {
  const { storage, guard, edgeUrl } = opts;
  let scorer: Scorer | null = null;
  let score: Score | null = null;
  let started: Promise<void> | null = null;
  let live = false; // whether the blocks are Shoal's to show yet
  const preview = previewSegment(location.search, document.cookie);
  let config = cachedBlockConfig(storage);
  let recs = cachedRecommendations(storage);
  // Blocks show the preview, else the scored segment: what a shopper of that segment would see.
  const show = (segment: string | null) => showBlocks(guard, preview ?? segment, config, recs);
  // ... and lift the anti-flicker hiding: the blocks hold what this page will show for now.
  const reveal = (segment: string | null) => {
    show(segment);
    markReady(document);
  };
  let cleared = 0; // bumped by clear() (reset, forget): a score begun before it is the old shopper's, dropped
  const rescore = async () => {
    if (!scorer) return;
    const [agg, previous, at] = [await opts.aggregates(), score?.segment ?? null, cleared]; // epoch after the read
    const next = await scoreShopper(scorer, agg, previous);
    if (at !== cleared) return;
    score = next;
    writeCachedScore(storage, score);
    reveal(score.segment);
    if (score.segment !== previous) announce(previous, score.segment, scorer.model);
  };
  const batch = idleBatch(() => guard.attemptAsync('score', rescore));
  const personaliser: Personaliser = {
    start() {
      const cached = live ? null : readCachedScore(storage);
      if (cached) score = { ...cached, churn: null, spend: null, intent: null, implausible: null };
      if (cached || (!live && preview)) reveal(cached?.segment ?? null);
      live = true;
      // Whatever happens, the shopper then sees content: the scored variant, the cached one, or the default.
      started ??= Promise.all([
        guard.attemptAsync('model', async () => {
          scorer = await opts.load();
          await runModel(scorer, rescore);
        }),
        guard.attemptAsync('blocks', async () => {
          config = await fetchBlockConfig(edgeUrl, storage);
          if (score || preview) show(score?.segment ?? null);
        }),
        // Only on pages that have a recommendation block: other pages need not fetch the table.
        document.querySelector('[data-shoal-recs]') &&
          guard.attemptAsync('recommendations', async () => {
            recs = await fetchRecommendations(edgeUrl, storage);
            show(score?.segment ?? null);
          }),
      ]).then(() => (score ? markReady(document) : reveal(null)));
      return started;
    },
    stop() {
      live = true;
      personaliser.clear();
    },
    rescoreSoon: batch.soon,
    rescored: batch.latest,
    clear() {
      cleared++;
      score = null;
      clearCachedScore(storage);
      if (live) reveal(null);
    },
    score: () => score,
    scorer: () => scorer,
    preview,
  };
  return personaliser;
}

export type { ScorerOptions };
