/**
 * What the model learns from, all inside the calibration period: one row per customer and internal window
 * (a frame at an internal cutoff whose targets end at --cutoff), with the shipped prior's log expectation over
 * that window as its offset, and the input normalisation those rows and the cutoff's customers share. Each
 * window's own BG/NBD fit is kept for the report (how well the level could be read before the cutoff).
 */
import { fnv1a } from '../../../sdk/src/contract/index.js';
import { DAY_MS, type Normalisation } from '../../../sdk/src/features/index.js';
import { type Frame, buildFrame } from '../frame/index.js';
import { type Histories, isoDay } from '../load/index.js';
import { columnStats, sum, withoutDuplicates } from '../math/index.js';
import type { TrainingSet } from './fit.js';
import { logPrior } from './losses.js';
import { type Prior, fitPrior, priorFor } from './prior.js';

/**
 * BG/NBD fitted at an internal cutoff, forecasting the total purchase-days of its window (up to --cutoff).
 * The served model keeps BG/NBD's total (anchorToPrior), so these errors are the calibration period's own
 * evidence on that level; a holdout error far outside them means its level moved in a way no data before
 * the cutoff could show.
 */
export interface LevelBacktest {
  cutoff: string;
  days: number;
  forecast: number;
  actual: number;
  /** forecast / actual − 1. */
  error: number;
}

export interface InternalWindows {
  /** Raw (unnormalised) feature rows; segment labels are left to the segments stage. */
  rows: TrainingSet;
  /** Each row's customer's half for cross-fitting the correction's strength (shrink.ts), by id so it is the same in every window. */
  half: (0 | 1)[];
  /** Internal-frame BG/NBD fits, for the report. */
  internalPriors: Prior[];
  levelBacktest: LevelBacktest[];
  /** The longest internal frame, which the RFM-rules baseline learns its group rates on. */
  rfmFrame: Frame;
  /** The longest window's log(length / served horizon): where the horizon unit is folded into the value head. */
  longest: number;
}

/**
 * Frames `known` (histories already truncated at `cutoff`) at each internal cutoff, customers limited by `pick`.
 * Every window's offset comes from the shipped prior (fitted on the whole calibration period), so the correction
 * learns the bias of the parameters that will serve; per-window refits were tried and did worse on CDNOW.
 * @example const w = internalWindows(known, prior, { cutoffs, cutoff, horizonDays: 273, seed: 42 }, console.log);
 */
export function internalWindows(
  known: Histories,
  prior: Prior,
  opts: {
    cutoffs: readonly number[];
    cutoff: number;
    horizonDays: number;
    seed: number;
    pick?: (i: number) => boolean;
  },
  log: (line: string) => void,
): InternalWindows {
  const { cutoffs, cutoff, horizonDays, seed, pick } = opts;
  const rows: TrainingSet = { x: [], segment: [], purchases: [], churn: [], offset: [], window: [], logHorizon: [] };
  const half: (0 | 1)[] = [];
  let longest = -Infinity;
  const internalPriors: Prior[] = [];
  const levelBacktest: LevelBacktest[] = [];
  let rfmFrame: Frame | null = null;
  for (const [w, c] of cutoffs.entries()) {
    const frame = buildFrame(known, c, cutoff, pick);
    rfmFrame ??= frame;
    const own = fitPrior(frame);
    internalPriors.push(own);
    const days = (cutoff - c) / DAY_MS;
    const p = priorFor(frame.x, prior, days);
    const forecast = sum(priorFor(frame.x, own, days).purchases);
    const actual = sum(frame.purchases);
    levelBacktest.push({ cutoff: isoDay(c), days, forecast, actual, error: actual > 0 ? forecast / actual - 1 : NaN });
    const logHorizon = Math.log(days) - Math.log(horizonDays);
    longest = Math.max(longest, logHorizon);
    frame.x.forEach((x, i) => {
      rows.x.push(x);
      rows.purchases.push(frame.purchases[i]!);
      rows.churn.push(frame.purchases[i]! > 0 ? 0 : 1);
      rows.offset.push(logPrior(p.purchases[i]!));
      rows.window!.push(w);
      rows.logHorizon!.push(logHorizon);
      half.push((Number.parseInt(fnv1a(`${seed}:half:${frame.customers[i]}`), 16) & 1) as 0 | 1);
    });
    log(
      `  internal cutoff ${isoDay(c)}: ${frame.x.length} customers, ` +
        `${(days / 7).toFixed(1)}-week window, BG/NBD r=${own.bgnbd.r.toFixed(3)} α=${own.bgnbd.alpha.toFixed(2)} a=${own.bgnbd.a.toFixed(3)} b=${own.bgnbd.b.toFixed(2)}, ` +
        `its total ${forecast.toFixed(0)} vs ${actual} actual`,
    );
  }
  if (!rfmFrame) throw new Error('no internal cutoffs to frame');
  return { rows, half, internalPriors, levelBacktest, rfmFrame, longest };
}

/**
 * The input normalisation the manifest ships: statistics over the training rows and the customers at the cutoff,
 * with columns that merely repeat an earlier one at the cutoff switched off (math/stats.ts withoutDuplicates).
 * @example inputNormalisation(windows.rows.x, atCutoff.x).duplicates // columns that repeat an earlier one
 */
export function inputNormalisation(
  training: readonly number[][],
  atCutoff: readonly number[][],
): Normalisation & { duplicates: number[] } {
  const { duplicates, ...stats } = withoutDuplicates(columnStats([...training, ...atCutoff]), atCutoff);
  return { ...stats, duplicates };
}
