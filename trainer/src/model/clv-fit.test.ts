import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bgnbdExpected, bgnbdUnconditional, ggExpectedSpend, hyp2f1, lgamma } from '../../../sdk/src/features/index.js';
import { bgnbdLogLik, fitBgnbd, fitGammaGamma } from './clv-fit.js';

// The BTYD calibration summary of the 2,357-customer CDNOW sample, with the published figures in
// ../shared/data/cdnow/REFERENCE_RESULTS.md.
const CBS = readFileSync(new URL('../../../../shared/data/cdnow/cdnowSummary_cbs.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number))
  .map(([, x, tx, T, xStar, mx]) => ({ x: x!, tx: tx!, T: T!, xStar: xStar!, mx: mx! }));
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD and Gamma-Gamma', () => {
  it('has exact special functions', () => {
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
  });

  it('reproduces the published log-likelihood, MLE and holdout expectation on the CDNOW sample', () => {
    expect(bgnbdLogLik(PUBLISHED, CBS)).toBeCloseTo(-9582.4, 0);
    const { params, logLik } = fitBgnbd(CBS);
    expect(params.r).toBeCloseTo(0.2426, 3);
    expect(params.alpha).toBeCloseTo(4.4135, 1);
    expect(params.a).toBeCloseTo(0.7929, 2);
    expect(params.b).toBeCloseTo(2.4258, 1);
    expect(logLik).toBeCloseTo(-9582.43, 1);
    const total = CBS.reduce((s, c) => s + bgnbdExpected(PUBLISHED, c, 39), 0);
    expect(total).toBeCloseTo(1653.9, 0);
    // Unconditional week-39 repeat purchases for the cohort, which arrived over the first 12 weeks.
    expect(bgnbdUnconditional(PUBLISHED, 78) - bgnbdUnconditional(PUBLISHED, 0)).toBeGreaterThan(0);
  });

  it('fits Gamma-Gamma to the published values', () => {
    const { params } = fitGammaGamma(CBS.filter((c) => c.x > 0).map((c) => ({ n: c.x, mean: c.mx })));
    expect(params.p).toBeCloseTo(6.25, 1);
    expect(params.q).toBeCloseTo(3.74, 1);
    expect(params.gamma).toBeCloseTo(15.44, 0);
    expect(ggExpectedSpend(params, 0, 0)).toBeCloseTo((params.p * params.gamma) / (params.q - 1), 9);
  });
});
