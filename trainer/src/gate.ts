import type { ModelManifest } from '../../sdk/src/contract/index.js';

/**
 * The publish quality gate. Holdouts differ between trainings, so raw errors are not comparable; the gate
 * compares each model against the BG/NBD baseline scored on its own holdout: RMSE ratio (lower is better)
 * and churn AUC margin (higher is better), with a small tolerance for noise.
 */
export const GATE = { rmseRatioSlack: 0.01, aucSlack: 0.005 } as const;

export interface GateResult {
  pass: boolean;
  reasons: string[];
}

type Scored = Pick<ModelManifest, 'metrics' | 'training'>;

/**
 * Models trained on different data sets (say, CDNOW's 1/10 sample against the full master file) are not
 * held to each other's numbers: only a retrain of the same source and format is gated.
 * @example gate(newManifest, current) // { pass: false, reasons: ['RMSE / BG-NBD 1.020 is worse than the current 0.970'] }
 */
export function gate(next: Scored, current: Scored | null): GateResult {
  if (!current) return { pass: true, reasons: ['no current model to compare with'] };
  const source = (m: Scored) => `${m.training.format ?? '?'}:${m.training.dataset ?? '?'}`;
  if (source(next) !== source(current)) {
    return { pass: true, reasons: [`not comparable: trained on ${source(next)}, the current model on ${source(current)}`] };
  }
  return compareMetrics(next.metrics, current.metrics);
}

/** The metric comparison itself, for two models scored the same way. */
export function compareMetrics(next: ModelManifest['metrics'], current: ModelManifest['metrics']): GateResult {
  const reasons: string[] = [];
  const [nr, cr] = [next.purchases_rmse_ratio_bgnbd, current.purchases_rmse_ratio_bgnbd];
  if (nr === undefined) reasons.push('the new model has no holdout RMSE ratio (purchases_rmse_ratio_bgnbd)');
  else if (cr !== undefined && nr > cr + GATE.rmseRatioSlack) reasons.push(`RMSE / BG-NBD ${nr.toFixed(3)} is worse than the current ${cr.toFixed(3)}`);
  const [na, ca] = [next.churn_auc_minus_bgnbd, current.churn_auc_minus_bgnbd];
  if (na === undefined) reasons.push('the new model has no churn AUC margin (churn_auc_minus_bgnbd)');
  else if (ca !== undefined && na < ca - GATE.aucSlack) reasons.push(`churn AUC − BG/NBD ${na.toFixed(4)} is worse than the current ${ca.toFixed(4)}`);
  return { pass: reasons.length === 0, reasons };
}
