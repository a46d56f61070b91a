import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { Histories, type History } from '../load/index.js';
import { buildFrame } from './frame.js';
import { internalCutoffs, truncate } from './split.js';

const D0 = Date.UTC(1997, 0, 1);
const day = (n: number) => D0 + n * DAY_MS;
const hist = (...buys: [number, number][]): History => ({
  days: buys.map(([d]) => day(d)),
  amounts: buys.map(([, a]) => a),
});
const T0 = day(100);

describe('buildFrame', () => {
  const past = Histories.from([
    ['a', hist([0, 10], [60, 20], [100, 5])],
    ['b', hist([30, 15])],
    ['late', hist([101, 99])],
  ]);

  it('frames customers known by `at` with the BG/NBD summary and window targets', () => {
    const withFuture = Histories.from([
      ['a', hist([0, 10], [60, 20], [100, 5], [150, 40], [191, 7], [192, 1000])],
      ['b', past.at(1)],
      ['late', past.at(2)],
    ]);
    const frame = buildFrame(withFuture, T0, day(191));
    expect(frame.customers).toEqual(['a', 'b']);
    // (at, end] holds day 150 and day 191, not day 192; day 100 itself is in the past.
    expect(frame.purchases).toEqual([2, 0]);
    expect(frame.spend).toEqual([47, 0]);
    expect(frame.summary[0]).toEqual({ x: 2, tx: 100 / 7, T: 100 / 7 });
    expect(frame.summary[1]).toEqual({ x: 0, tx: 0, T: 70 / 7 });
    expect(frame.repeatSpend).toEqual([12.5, 0]);
    // The window of the same length before `at`, (day 9, day 100], holds days 60 and 100 of a.
    expect(frame.lastPeriod).toEqual([2, 1]);
  });

  it('never lets an event after `at` change the inputs', () => {
    const base = buildFrame(past, T0, day(191));
    const rewritten = Histories.from([
      ['a', hist([0, 10], [60, 20], [100, 5], [100.5, 500], [300, 1])],
      ['b', hist([30, 15], [101, 9999])],
      ['late', hist([101, 1])],
      ['later', hist([150, 1])],
    ]);
    const changed = buildFrame(rewritten, T0, day(191));
    expect(changed.customers).toEqual(base.customers);
    expect(changed.x).toEqual(base.x);
    expect(changed.summary).toEqual(base.summary);
    expect(changed.purchases).not.toEqual(base.purchases);
  });
});

describe('truncate and internalCutoffs', () => {
  it('keeps only what happened by the cutoff', () => {
    const t = truncate(
      Histories.from([
        ['a', hist([0, 1], [100, 2], [101, 3])],
        ['late', hist([150, 1])],
      ]),
      T0,
    );
    expect(t.ids).toEqual(['a']);
    expect(t.get('a')).toEqual(hist([0, 1], [100, 2]));
  });

  it('places windows that end at the cutoff inside the calibration period', () => {
    const cuts = internalCutoffs(D0, day(272));
    expect(cuts).toEqual([day(136), day(163), day(190), day(218)]);
  });
});
