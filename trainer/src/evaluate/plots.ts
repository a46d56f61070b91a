/** The report's SVG plots, specified in vega-lite and rendered headlessly (no browser, no canvas). */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Evaluation } from './evaluate.js';
import { pct } from './format.js';

async function svg(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

/** Holdout purchases by calibration frequency: the classic BG/NBD diagnostic, with the MLP beside it. */
export function frequencyPlot(ev: Evaluation): Promise<string> {
  const values = ev.byFrequency.flatMap((b) => [
    { x: b.x, who: 'actual', v: b.actual },
    { x: b.x, who: 'MLP', v: b.model },
    { x: b.x, who: 'BG/NBD', v: b.bgnbd },
  ]);
  return svg({
    title: 'Mean holdout purchase-days by calibration repeat purchases',
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: 'repeat purchase-days before the cutoff', sort: null },
      y: { field: 'v', type: 'quantitative', title: 'mean purchase-days in the holdout' },
      color: { field: 'who', type: 'nominal', title: null },
    },
  });
}

/** Mean holdout purchase-days per segment, labelled with the segment's name and share of customers. */
export function segmentPlot(ev: Evaluation, names: readonly { id: number; name: string }[]): Promise<string> {
  const values = ev.segments.map((s) => ({
    segment: `${names[s.id]?.name ?? s.id} (${pct(s.share)})`,
    actual: s.meanPurchases,
  }));
  return svg({
    title: 'Mean holdout purchase-days per segment (share of customers)',
    width: 420,
    height: 200,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'segment', type: 'nominal', sort: '-x', title: null },
      x: { field: 'actual', type: 'quantitative', title: 'purchase-days' },
    },
  });
}
