import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../sdk/src/features/index.js';
import { Histories, type History } from './load/index.js';
import { mulberry32 } from './math/index.js';
import { useWasm } from './model/index.js';
import { serialiseModel, sha256 } from './publish/index.js';
import { calibrate } from './train.js';

const START = Date.UTC(2020, 0, 1);
const CUTOFF = START + 200 * DAY_MS;

/** 400 seeded shoppers with Poisson-ish buying and dropout, spanning both sides of the cutoff. */
function shop(seed: number, future: (rng: () => number) => number): Map<string, History> {
  const rng = mulberry32(seed);
  // The future draws from its own stream, so changing it cannot shift the calibration data.
  const later = mulberry32(seed + 1000);
  const out = new Map<string, History>();
  for (let c = 0; c < 400; c++) {
    const h: History = { days: [], amounts: [] };
    let t = START + Math.floor(rng() * 60) * DAY_MS;
    const gap = 5 + rng() * 60;
    while (t <= CUTOFF && rng() > 0.05) {
      h.days.push(t);
      h.amounts.push(Math.round(10 + rng() * 90));
      t += Math.max(1, Math.round(gap * -Math.log(1 - rng()))) * DAY_MS;
    }
    for (let n = future(later); n > 0; n--) {
      h.days.push(CUTOFF + (1 + n * 3) * DAY_MS);
      h.amounts.push(1 + n);
    }
    if (h.days.length) out.set(String(c), h);
  }
  return out;
}

async function weightsHash(histories: Map<string, History>): Promise<{ hash: string; prior: unknown; k: number }> {
  const cal = await calibrate(
    Histories.from(histories),
    { start: START, cutoff: CUTOFF, horizonDays: 100, seed: 3, epochs: 3 },
    { log: () => {} },
  );
  const { weights } = await serialiseModel(cal.model);
  cal.model.dispose();
  return { hash: sha256(weights), prior: cal.prior, k: cal.segmentation.k };
}

describe('calibrate', () => {
  beforeAll(useWasm);

  it('cannot be influenced by any holdout transaction', async () => {
    const quiet = await weightsHash(shop(1, () => 0));
    // Same calibration data; wildly different futures (and customers first seen after the cutoff).
    const busy = shop(1, (rng) => Math.floor(rng() * 20));
    busy.set('newcomer', { days: [CUTOFF + DAY_MS], amounts: [1e6] });
    expect(await weightsHash(busy)).toEqual(quiet);
    // And the check has teeth: a change before the cutoff does move the model.
    const changed = shop(1, () => 0);
    changed.get('0')!.days.unshift(START - DAY_MS);
    changed.get('0')!.amounts.unshift(5000);
    expect((await weightsHash(changed)).hash).not.toBe(quiet.hash);
    // Three full calibrations: about 15 s alone, but twice that when the two cores are shared.
  }, 120_000);
});

describe('level backtest', () => {
  beforeAll(useWasm);

  it('scores BG/NBD fitted at each internal cutoff against the purchase-days its window really had', async () => {
    const data = shop(2, () => 0);
    const cal = await calibrate(
      Histories.from(data),
      { start: START, cutoff: CUTOFF, horizonDays: 100, seed: 3, epochs: 1 },
      { log: () => {} },
    );
    cal.model.dispose();
    expect(cal.levelBacktest.map((b) => b.cutoff)).toEqual(
      cal.cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    );
    cal.cutoffs.forEach((c, w) => {
      // Counted here from the raw histories: purchase-days in (c, cutoff] of customers already seen by c.
      const actual = [...data.values()]
        .filter((h) => h.days[0]! <= c)
        .reduce((n, h) => n + h.days.filter((d) => d > c && d <= CUTOFF).length, 0);
      const b = cal.levelBacktest[w]!;
      expect(b.actual).toBe(actual);
      expect(b.days).toBe((CUTOFF - c) / DAY_MS);
      expect(b.forecast).toBeGreaterThan(0);
      expect(b.error).toBeCloseTo(b.forecast / actual - 1, 9);
    });
  }, 60_000);
});
