/**
 * The publish quality gate. Holdouts differ between trainings, so raw errors are not comparable; the gate
 * compares each model against the BG/NBD baseline scored on its own holdout: RMSE ratio (lower is better)
 * and churn AUC margin (higher is better), with a small tolerance for noise.
 */
import type { ModelManifest } from '../../../sdk/src/contract/index.js';

export const GATE = { rmseRatioSlack: 0.01, aucSlack: 0.005 } as const;

export interface GateResult {
  pass: boolean;
  reasons: string[];
}

type Scored = Pick<ModelManifest, 'metrics' | 'training'>;

/**
 * Every model must do at least as well as the BG/NBD prior it corrects, on its own holdout, within the slack;
 * worse, it would only add error in every browser. Beyond that, models trained on different data sets (say,
 * CDNOW's 1/10 sample against the full master file) are not held to each other's numbers: only a retrain of
 * the same source and format is compared with the current model.
 * @example gate(newManifest, current) // { pass: false, reasons: ['RMSE / BG-NBD 1.020 is worse than the current 0.970'] }
 */
export function gate(next: Scored, current: Scored | null): GateResult {
  const own = againstPrior(next.metrics);
  const result = (reasons: string[]) => ({ pass: reasons.length === 0, reasons });
  if (!current) return own.length ? result(own) : { pass: true, reasons: ['no current model to compare with'] };
  const source = (m: Scored) => `${m.training.format ?? '?'}:${m.training.dataset ?? '?'}`;
  if (source(next) !== source(current)) {
    const note = `not comparable: trained on ${source(next)}, the current model on ${source(current)}`;
    return { pass: own.length === 0, reasons: [...own, note] };
  }
  return result([...own, ...compareMetrics(next.metrics, current.metrics).reasons]);
}

/** What the model's own holdout says against the prior it corrects (BG/NBD: ratio 1, AUC margin 0). */
function againstPrior(m: ModelManifest['metrics']): string[] {
  const reasons: string[] = [];
  const r = m.purchases_rmse_ratio_bgnbd;
  if (r !== undefined && r > 1 + GATE.rmseRatioSlack)
    reasons.push(`RMSE / BG-NBD ${r.toFixed(3)} on its own holdout: worse than the prior it corrects`);
  const a = m.churn_auc_minus_bgnbd;
  if (a !== undefined && a < -GATE.aucSlack)
    reasons.push(`churn AUC − BG/NBD ${a.toFixed(4)} on its own holdout: worse than the prior it corrects`);
  return reasons;
}

/** The metric comparison itself, for two models scored the same way. */
export function compareMetrics(next: ModelManifest['metrics'], current: ModelManifest['metrics']): GateResult {
  const reasons: string[] = [];
  const [nr, cr] = [next.purchases_rmse_ratio_bgnbd, current.purchases_rmse_ratio_bgnbd];
  if (nr === undefined) reasons.push('the new model has no holdout RMSE ratio (purchases_rmse_ratio_bgnbd)');
  else if (cr !== undefined && nr > cr + GATE.rmseRatioSlack)
    reasons.push(`RMSE / BG-NBD ${nr.toFixed(3)} is worse than the current ${cr.toFixed(3)}`);
  const [na, ca] = [next.churn_auc_minus_bgnbd, current.churn_auc_minus_bgnbd];
  if (na === undefined) reasons.push('the new model has no churn AUC margin (churn_auc_minus_bgnbd)');
  else if (ca !== undefined && na < ca - GATE.aucSlack)
    reasons.push(`churn AUC − BG/NBD ${na.toFixed(4)} is worse than the current ${ca.toFixed(4)}`);
  return { pass: reasons.length === 0, reasons };
}
