import { describe, expect, it } from 'vitest';
import { compareMetrics, gate } from './gate.js';

describe('quality gate', () => {
  const good = { purchases_rmse_ratio_bgnbd: 0.9, churn_auc_minus_bgnbd: 0.01 };
  const on = (metrics: Record<string, number>, dataset = 'CDNOW_master.txt') => ({
    metrics,
    training: { format: 'cdnow', dataset },
  });
  it('passes a first model and a better one, refuses a worse one', () => {
    expect(gate(on(good), null).pass).toBe(true);
    expect(gate(on(good), on({ purchases_rmse_ratio_bgnbd: 0.95, churn_auc_minus_bgnbd: 0 })).pass).toBe(true);
    const worse = gate(on({ purchases_rmse_ratio_bgnbd: 0.97, churn_auc_minus_bgnbd: 0 }), on(good));
    expect(worse.pass).toBe(false);
    expect(worse.reasons).toHaveLength(2);
    expect(compareMetrics({}, good).pass).toBe(false);
  });

  it('does not hold a model to the numbers of one trained on other data', () => {
    const other = gate(
      on({ purchases_rmse_ratio_bgnbd: 1.005, churn_auc_minus_bgnbd: -0.004 }, 'CDNOW_sample.txt'),
      on(good),
    );
    expect(other).toEqual({
      pass: true,
      reasons: ['not comparable: trained on cdnow:CDNOW_sample.txt, the current model on cdnow:CDNOW_master.txt'],
    });
  });

  it('refuses any model worse than the BG/NBD prior it corrects, first, comparable or not', () => {
    const worse = { purchases_rmse_ratio_bgnbd: 1.02, churn_auc_minus_bgnbd: 0.01 };
    expect(gate(on(worse), null)).toEqual({
      pass: false,
      reasons: ['RMSE / BG-NBD 1.020 on its own holdout: worse than the prior it corrects'],
    });
    expect(gate(on(worse, 'CDNOW_sample.txt'), on(good)).pass).toBe(false);
    expect(gate(on(worse), on({ purchases_rmse_ratio_bgnbd: 1.03, churn_auc_minus_bgnbd: 0 })).reasons).toHaveLength(1);
    const churn = gate(on({ purchases_rmse_ratio_bgnbd: 0.9, churn_auc_minus_bgnbd: -0.006 }), null);
    expect(churn).toEqual({
      pass: false,
      reasons: ['churn AUC − BG/NBD -0.0060 on its own holdout: worse than the prior it corrects'],
    });
  });
});
