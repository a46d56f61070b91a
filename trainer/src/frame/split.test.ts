import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { Histories, type History } from '../load/index.js';
import { internalCutoffs, truncate } from './split.js';

const D0 = Date.UTC(1997, 0, 1);
const day = (n: number) => D0 + n * DAY_MS;
const hist = (...buys: [number, number][]): History => ({
  days: buys.map(([d]) => day(d)),
  amounts: buys.map(([, a]) => a),
});
const T0 = day(100);

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
