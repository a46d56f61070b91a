import type { ModelManifest } from '../contract/manifest.js';
import { MIN_STD } from '../features/normalise.js';
import type { Prediction } from './predict.js';

export interface Explanation {
  feature: string;
  /** What it moved: the predicted segment's probability, or the visit's intent. */
  of: 'segment' | 'intent';
  /** How much lower that output is with this feature at its training mean (its prior baseline: 0). */
  impact: number;
}

interface Probe {
  column: number;
  value: number;
  of: Explanation['of'];
}

/**
 * Occlusion, for the debug overlay: the row, then per feature the graph reads a copy with that feature at its
 * training mean: the trunk's features for the segment, the tower's for intent, and each prior offset's feature
 * at 0 (no cart add, no checkout), which shows what the funnel prior contributed. One batched prediction
 * scores them all; `read` turns it into each output's `top` features, largest first.
 * @example const o = occlusion(manifest, row); o.read(await predict(model, o.rows), 5)
 */
export function occlusion(manifest: ModelManifest, row: readonly number[]) {
  const names = manifest.featureSpec.names;
  const { mean, std } = manifest.normalisation;
  const probes: Probe[] = [];
  for (const name of manifest.graph.inputs ?? names) {
    const column = names.indexOf(name);
    if ((std[column] ?? 0) > MIN_STD) probes.push({ column, value: mean[column]!, of: 'segment' });
  }
  const tower = manifest.graph.intent;
  tower?.inputs.forEach((name, k) => {
    if ((tower.normalisation.std[k] ?? 0) > MIN_STD)
      probes.push({ column: names.indexOf(name), value: tower.normalisation.mean[k]!, of: 'intent' });
  });
  for (const o of tower?.offsets ?? [])
    if (!tower?.inputs.includes(o.feature)) probes.push({ column: names.indexOf(o.feature), value: 0, of: 'intent' });
  return {
    rows: [row.slice(), ...probes.map((p) => row.map((x, j) => (j === p.column ? p.value : x)))],
    read([base, ...occluded]: Prediction[], top: number): Explanation[] {
      const out = (p: Prediction) => p.intent ?? Number.NaN;
      const k = base!.segmentId;
      const all = probes.map((p, r) => ({
        feature: names[p.column]!,
        of: p.of,
        impact:
          p.of === 'segment' ? base!.segmentProbs[k]! - occluded[r]!.segmentProbs[k]! : out(base!) - out(occluded[r]!),
      }));
      // No intent (none scored, or an implausible visit) explains nothing.
      return (['segment', 'intent'] as const).flatMap((of) =>
        all
          .filter((e) => e.of === of && Number.isFinite(e.impact))
          .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact))
          .slice(0, top),
      );
    },
  };
}
