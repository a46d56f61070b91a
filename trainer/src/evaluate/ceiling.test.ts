import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../sdk/src/features/index.js';
import { withTargets } from '../frame/index.js';
import { Histories, type History } from '../load/index.js';
import { mulberry32 } from '../math/index.js';
import { useWasm } from '../model/index.js';
import { serialiseModel, sha256 } from '../publish/index.js';
import { calibrate } from '../train.js';
import { holdoutCeiling } from './ceiling.js';
import { evaluate } from './evaluate.js';

const START = Date.UTC(2020, 0, 1);
const CUTOFF = START + 200 * DAY_MS;
const END = CUTOFF + 100 * DAY_MS;

/**
 * 300 seeded shoppers whose holdout nothing before the cutoff foretells in level: each buys three times as
 * often after the cutoff as before. A forecaster that learns from the holdout itself sees it; BG/NBD cannot.
 */
function shop(): Map<string, History> {
  const rng = mulberry32(11);
  const out = new Map<string, History>();
  for (let c = 0; c < 300; c++) {
    const h: History = { days: [], amounts: [] };
    let t = START + Math.floor(rng() * 60) * DAY_MS;
    const gap = 8 + rng() * 50;
    for (; t <= CUTOFF; t += Math.max(1, Math.round(gap * (0.5 + rng()))) * DAY_MS) {
      h.days.push(t);
      h.amounts.push(20);
    }
    for (let k = 1, n = 3 * h.days.length * (100 / 200); k <= n && k <= 99; k++) {
      h.days.push(CUTOFF + k * DAY_MS);
      h.amounts.push(20);
    }
    out.set(String(c), h);
  }
  return out;
}

describe('holdoutCeiling', () => {
  beforeAll(useWasm);

  it('learns from the holdout out of fold, beating a prior that cannot see its level, and leaves the served model alone', async () => {
    const histories = Histories.from(shop());
    const cal = await calibrate(
      histories,
      { start: START, cutoff: CUTOFF, horizonDays: 100, seed: 5, epochs: 3 },
      { log: () => {} },
    );
    const holdout = withTargets(cal.atCutoff, histories, END);
    const ev = evaluate(cal, holdout, START);
    const before = sha256((await serialiseModel(cal.model)).weights);
    const ceiling = await holdoutCeiling(cal, holdout, ev.metrics.bgnbd_purchases_rmse!, { seed: 5, epochs: 60 });
    expect(sha256((await serialiseModel(cal.model)).weights)).toBe(before);
    expect(ceiling.folds).toBe(5);
    // BG/NBD misses the tripled level; trained on the holdout, the same model finds most of it.
    expect(ev.metrics.bgnbd_purchases_totalError).toBeLessThan(-0.4);
    expect(ceiling.rmseRatio).toBeLessThan(0.6);
    expect(Math.abs(ceiling.totalError)).toBeLessThan(0.25);
    expect(await holdoutCeiling(cal, holdout, ev.metrics.bgnbd_purchases_rmse!, { seed: 5, epochs: 60 })).toEqual(
      ceiling,
    );
    cal.model.dispose();
  }, 120_000);
});
