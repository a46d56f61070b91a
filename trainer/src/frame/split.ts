/**
 * Where the trainer cuts time and customers: the holdout split (defaults per format, and `truncate`, the one
 * place the holdout is cut away), the internal cutoffs the training windows end at, and the seeded subsample
 * of customers each internal frame keeps.
 */
import { type ShoalEvent, fnv1a } from '../../../sdk/src/contract/index.js';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { type Dataset, type Format, Histories, isoDay, parseCliDay } from '../load/index.js';

/** Fader, Hardie & Lee's CDNOW split; Online Retail halves its year; other logs hold out their last third. */
function defaultSplit(
  format: Format,
  data: Pick<Dataset, 'firstDay' | 'lastDay'>,
): { cutoff: string; holdoutEnd: string } {
  if (format === 'cdnow') return { cutoff: '1997-09-30', holdoutEnd: '1998-06-30' };
  if (format === 'online-retail') return { cutoff: '2011-06-09', holdoutEnd: '2011-12-09' };
  const span = Math.floor((data.lastDay - data.firstDay) / DAY_MS);
  return { cutoff: isoDay(data.lastDay - Math.floor(span / 3) * DAY_MS), holdoutEnd: isoDay(data.lastDay) };
}

export interface Split {
  /** YYYY-MM-DD, as given or defaulted. */
  cutoff: string;
  holdoutEnd: string;
  /** The cutoff's day start (UTC ms): the model learns from data up to this moment only. */
  at: number;
  end: number;
  /** Days from the cutoff to the holdout end: the horizon the browser predicts over. */
  horizonDays: number;
}

/**
 * The split a run uses: the format's default (defaultSplit) with whatever the options set, checked against the
 * data so the calibration period is not empty and the holdout is complete.
 * @example resolveSplit('cdnow', data, {}).horizonDays // 273
 */
export function resolveSplit(
  format: Format,
  data: Pick<Dataset, 'firstDay' | 'lastDay'>,
  given: { cutoff?: string; holdoutEnd?: string },
): Split {
  const split = {
    ...defaultSplit(format, data),
    ...(given.cutoff ? { cutoff: given.cutoff } : {}),
    ...(given.holdoutEnd ? { holdoutEnd: given.holdoutEnd } : {}),
  };
  const at = parseCliDay('cutoff', split.cutoff);
  const end = parseCliDay('holdout-end', split.holdoutEnd);
  if (at <= data.firstDay || at >= end)
    throw new Error(
      `need first day ${isoDay(data.firstDay)} < --cutoff ${split.cutoff} < --holdout-end ${split.holdoutEnd}`,
    );
  if (end > data.lastDay)
    throw new Error(
      `--holdout-end ${split.holdoutEnd} is after the data ends (${isoDay(data.lastDay)}): the holdout would be incomplete`,
    );
  return { ...split, at, end, horizonDays: Math.round((end - at) / DAY_MS) };
}

/**
 * Internal cutoffs for training: windows ending at the cutoff, of `fractions` of the calibration span, so
 * every target lies inside the calibration period and the horizons vary (the prior carries the horizon).
 * @example internalCutoffs(jan1, sep30) // four day starts between mid-May and mid-August
 */
export function internalCutoffs(
  start: number,
  cutoff: number,
  fractions: readonly number[] = [0.5, 0.4, 0.3, 0.2],
): number[] {
  const span = cutoff - start;
  return fractions.map((f) => cutoff - Math.max(7, Math.round((f * span) / DAY_MS)) * DAY_MS).filter((c) => c > start);
}

/**
 * The one place the holdout is cut away: every history truncated at `cutoff`, customers first seen later
 * dropped. Training receives only this. The purchase-days are shared, not copied: each kept customer's
 * range just ends earlier.
 * @example const known = truncate(data.histories, cutoff);
 */
export function truncate(h: Histories, cutoff: number): Histories {
  const keep: number[] = [];
  const ends: number[] = [];
  const events: (ShoalEvent[] | undefined)[] = [];
  for (let i = 0; i < h.size; i++) {
    let e = h.start[i]!;
    while (e < h.end[i]! && h.days[e]! <= cutoff) e++;
    const ev = h.events?.[i]?.filter((x) => x.ts <= cutoff);
    if (e > h.start[i]! || (ev?.length ?? 0) > 0) {
      keep.push(i);
      ends.push(e);
      events.push(ev);
    }
  }
  return new Histories(
    keep.map((i) => h.ids[i]!),
    Uint32Array.from(keep, (i) => h.start[i]!),
    Uint32Array.from(ends),
    h.days,
    h.amounts,
    h.events ? events : null,
  );
}

/**
 * A seeded per-customer coin (by id hash), so every internal frame keeps the same customers; tossed once
 * per customer into a byte mask, read by index.
 */
export function subsample(ids: readonly string[], max: number, seed: number): ((i: number) => boolean) | undefined {
  if (ids.length <= max) return undefined;
  const threshold = (max / ids.length) * 0x100000000;
  const keep = Uint8Array.from(ids, (customer) =>
    Number.parseInt(fnv1a(`${seed}:${customer}`), 16) < threshold ? 1 : 0,
  );
  return (i) => keep[i] === 1;
}
