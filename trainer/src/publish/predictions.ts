/** The --predictions CSV: one row per customer at the cutoff, with the forecasts the browser would make for them. */
import { writeFile } from 'node:fs/promises';
import type { ModelManifest } from '../../../sdk/src/contract/index.js';
import { type Scores, tierOf } from '../model/index.js';

/**
 * Customer ids are quoted where CSV needs it; forecasts carry 4 decimals (spend 2).
 * @example await writePredictions('preds.csv', cal.atCutoff.customers, evaluation.scores, names.segments, tiers);
 */
export async function writePredictions(
  path: string,
  customers: readonly string[],
  s: Scores,
  segments: readonly { name: string }[],
  tiers: ModelManifest['valueTiers'],
): Promise<void> {
  const rows = customers.map((c, i) =>
    [
      /[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c,
      segments[s.segment[i]!]!.name,
      s.purchases[i]!.toFixed(4),
      s.spend[i]!.toFixed(2),
      s.churn[i]!.toFixed(4),
      tierOf(tiers, s.value[i]!),
    ].join(','),
  );
  await writeFile(
    path,
    `customer_id,segment,predicted_purchases,predicted_spend,churn_probability,value_tier\n${rows.join('\n')}\n`,
  );
}
