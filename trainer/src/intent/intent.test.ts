import { beforeAll, describe, expect, it } from 'vitest';
import { auc, mulberry32 } from '../math/index.js';
import { useWasm } from '../model/index.js';
import { gradientBoostedTrees, logisticRegression } from './baselines.js';
import { averagePrecision, stratifiedFolds } from './evaluate.js';
import { CART_TO_ORDER, CHECKOUT_TO_ORDER, funnelPrior, offsetOf } from './prior.js';
import { fitTower, sigmoid, towerLogits } from './tower.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('intent tower', () => {
  beforeAll(useWasm);

  it('never lowers its logit when a monotone input rises, even where the data says otherwise', async () => {
    // The label falls with input 0 above 1 (a bump no other month would share) and with input 1 throughout.
    const rng = mulberry32(4);
    const x = Array.from({ length: 1500 }, () => [rng() * 4 - 2, rng() * 4 - 2]);
    const y = x.map(([a, b]) => (rng() < sigmoid(a! < 1 ? 2 * a! : 4 - 2 * a!) * sigmoid(-b!) ? 1 : 0));
    const tower = await fitTower(x, y, { seed: 1, members: 2, units: 8, epochs: 60, monotone: [true, false] });
    expect(tower.bias0).toHaveLength(16);
    const grid = Array.from({ length: 41 }, (_, i) => -2 + i / 10);
    for (const b of [-1.5, 0, 1.5]) {
      const z = towerLogits(
        tower,
        grid.map((a) => [a, b]),
      );
      z.slice(1).forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(z[i]! - 1e-9);
      });
    }
    // The free input is learned in the direction the data has: falling.
    const [lo, hi] = towerLogits(tower, [
      [0, -1.5],
      [0, 1.5],
    ]);
    expect(hi!).toBeLessThan(lo! - 0.5);
  });
});

describe('funnel prior', () => {
  it('reproduces the published funnel rates at the base rate it was derived for', () => {
    const c = 0.155;
    const p = funnelPrior(c);
    // A cart add takes a visit at the base rate to the share of carts that end in an order ...
    expect(sigmoid(logit(c) + p.cart)).toBeCloseTo(CART_TO_ORDER, 6);
    // ... and a started checkout on top of it to the share of checkouts that do.
    expect(sigmoid(logit(c) + p.cart + p.checkout)).toBeCloseTo(CHECKOUT_TO_ORDER, 6);
    expect(p.cart).toBeGreaterThan(0);
    expect(p.checkout).toBeGreaterThan(0);
  });

  it('adds one cart step however many cart adds, and nothing without the features', () => {
    const { offsets, cart, checkout } = funnelPrior(0.1);
    const names = ['visit_cart_adds', 'visit_checkout'] as const;
    const rows = [
      [0, 0],
      [Math.log1p(1), 0],
      [Math.log1p(5), 0],
      [Math.log1p(2), 1],
    ];
    const o = offsetOf(offsets, names, rows);
    expect(o[0]).toBe(0);
    expect(o[1]).toBeCloseTo(cart, 12);
    expect(o[2]).toBeCloseTo(cart, 12);
    expect(o[3]).toBeCloseTo(cart + checkout, 12);
    expect(offsetOf(offsets, ['visit_pages'], [[3]])).toEqual([0]);
  });

  it('refuses a base rate that is not a probability', () => {
    expect(() => funnelPrior(0)).toThrow(/base rate/);
  });
});

describe('intent evaluation', () => {
  it('computes average precision as scikit-learn does, ties taken together', () => {
    // Positives at ranks 1 and 3: (1/2)·(1/1) + (1/2)·(2/3).
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 12);
    // One tied block holding everything: precision = the base rate.
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
  });

  it('deals each class evenly over the folds', () => {
    const y = Array.from({ length: 103 }, (_, i) => (i % 7 === 0 ? 1 : 0));
    const folds = stratifiedFolds(y, 5, 9);
    for (let f = 0; f < 5; f++) {
      const pos = y.filter((v, i) => v === 1 && folds[i] === f).length;
      const neg = y.filter((v, i) => v === 0 && folds[i] === f).length;
      expect(pos).toBeGreaterThanOrEqual(3);
      expect(pos).toBeLessThanOrEqual(3);
      expect(neg).toBeGreaterThanOrEqual(17);
      expect(neg).toBeLessThanOrEqual(18);
    }
  });

  it('fits logistic regression to the probabilities that made the data, and XGBoost to an interaction it cannot', async () => {
    const rng = mulberry32(8);
    const x = Array.from({ length: 4000 }, () => [rng() * 2 - 1, rng() * 2 - 1]);
    const linear = x.map(([a]) => (rng() < sigmoid(0.5 + 2 * a!) ? 1 : 0));
    const [p0, p1] = await logisticRegression(x, linear, [
      [0, 0],
      [0.5, 0],
    ]);
    expect(p0).toBeCloseTo(sigmoid(0.5), 1);
    expect(p1).toBeCloseTo(sigmoid(1.5), 1);
    // An order only when both inputs share a sign: no line separates it, trees do.
    const xor = x.map(([a, b]) => (a! * b! > 0 ? 1 : 0));
    const test = x.slice(0, 1000);
    const lr = await logisticRegression(x.slice(1000), xor.slice(1000), test);
    const gbt = await gradientBoostedTrees(x.slice(1000), xor.slice(1000), test);
    expect(auc(lr, xor.slice(0, 1000))).toBeLessThan(0.6);
    expect(auc(gbt, xor.slice(0, 1000))).toBeGreaterThan(0.95);
  });
});
