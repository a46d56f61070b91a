import { Hono } from 'hono';
import { PROSPECTS } from '../../../sdk/src/contract/index.js';
import { html } from 'hono/html';
import type { AppEnv } from '../env.js';
import { droppedFields, segmentMix } from '../stats/counts.js';
import { segmentProfiles } from '../stats/profiles.js';
import type { SegmentProfile } from '../stats/profiles.js';
import { page } from './layout.js';
import { currentManifest } from '../models/registry.js';
import { money, profileWords } from './profile-words.js';

// Tier minimums are on the model's log1p(spend) scale (trainer/src/model/score.ts); the table shows them as money.

/** Thirty days: a month of trend, a single indexed range read of batch rows. */
const DAYS = 30;

/** A week of dropped fields: recent enough to show a broken release or someone making things up. */
const DROPPED_DAYS = 7;

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Who the shoppers are: the daily segment mix as a chart (drawn by the dashboard script from the embedded
 * series) with the same numbers as a table for screen readers, and each segment in plain words, live (from the
 * shoppers' latest aggregates and the predictions their browsers synced) beside the model's training-time view.
 */
export const segmentViews = new Hono<AppEnv>().get('/', async (c) => {
  const now = Date.now();
  const [series, manifest, profiles, dropped] = await Promise.all([
    segmentMix(c.env.DB, now, DAYS),
    currentManifest(c.env),
    segmentProfiles(c.env.DB, now, DAYS),
    droppedFields(c.env.DB, now, DROPPED_DAYS),
  ]);
  const capped = series.filter((d) => d.capped).map((d) => d.day);
  const live = new Map(profiles.segments.map((p) => [p.name, p]));
  const names = [
    ...new Set([
      ...(manifest?.segments.map((s) => s.name) ?? []),
      ...profiles.segments.map((p) => p.name),
      ...series.flatMap((d) => Object.keys(d.segments)),
    ]),
  ];
  const trained = (name: string) => manifest?.segments.find((s) => s.name === name)?.description;
  const horizon = manifest?.horizonDays ?? null;
  const card = (name: string, p: SegmentProfile | undefined) => {
    const words = p && profileWords(p, horizon);
    const training = trained(name);
    return html`<section class="card segment" aria-labelledby="segment-${name}"><h3 id="segment-${name}">${name}</h3>
<p class="size">${p ? html`<strong>${p.shoppers}</strong> shopper${p.shoppers === 1 ? '' : 's'} · ${pct(p.share)}` : html`<span class="muted">no shopper in the last ${DAYS} days</span>`}</p>
${
  name === PROSPECTS
    ? html`<p class="muted">Visitors who have not ordered yet. Models learn from purchase histories, so no model scores them: they have no predicted value or churn risk until their first order, and blocks show them the <em>${PROSPECTS}</em> variant.</p>`
    : html`${words ? html`<p>${words.typical}</p><p>${words.predicted}</p>${words.tiers ? html`<p>${words.tiers}</p>` : ''}` : ''}
<p class="muted">${training ? html`At training: ${training}` : 'Not a segment of the current model.'}</p>`
}</section>`;
  };
  const body = html`
<section class="card" aria-labelledby="mix-h"><h2 id="mix-h">Segment mix, last ${DAYS} days</h2>
  ${
    series.length === 0
      ? html`<p class="muted">No shopper has synced in the last ${DAYS} days yet.</p>`
      : html`<div class="chart"><canvas id="segment-chart" role="img" aria-label="Shoppers per segment per day; the daily numbers below have the same data"></canvas></div>`
  }
  ${capped.length ? html`<p class="card notice" role="status">Capped on ${capped.join(', ')}: one network sent more than its share of that day's shoppers (many ids from one place), so its shoppers count only up to that share.</p>` : ''}
</section>
<section class="card" aria-labelledby="dropped-h"><h2 id="dropped-h">Fields dropped from syncs, last ${DROPPED_DAYS} days</h2>
<p id="dropped">${
    dropped.syncs === 0
      ? 'None: every segment, value tier, prediction and product list that arrived was stored.'
      : html`${dropped.syncs} sync${dropped.syncs === 1 ? '' : 's'} arrived with fields the edge could not accept, stored without them: ${Object.entries(
          dropped.fields,
        )
          .map(([field, n]) => `${field} ${n}`)
          .join(', ')}. A segment or value tier no model published in the last 30 days defines is one of them.`
  }</p></section>
<section aria-labelledby="seg-h"><h2 id="seg-h">Segments${manifest ? html` of model <code>${manifest.version}</code>` : ''}</h2>
<p class="muted">Each segment's shoppers as of their latest visit in the last ${DAYS} days (medians, so a few big spenders do not skew them), what the model predicts for them, and how it described the segment when it was trained.${profiles.capped ? ` Estimated from the latest ${profiles.sample} shoppers.` : ''}</p>
<div class="segments">${names.map((name) => card(name, live.get(name)))}</div></section>
${
  manifest
    ? html`<section aria-labelledby="tier-h"><h2 id="tier-h">Value tiers</h2>
<p class="muted">Each shopper is placed in the first tier whose minimum their predicted spend over the next ${manifest.horizonDays} days reaches.</p>
<div class="scroll"><table><thead><tr><th scope="col">Tier</th><th scope="col">Predicted spend of at least</th></tr></thead><tbody>
${manifest.valueTiers.map((t) => html`<tr><th scope="row">${t.name}</th><td>${t.min <= -1e8 ? 'everyone else' : money(Math.expm1(t.min))}</td></tr>`)}
</tbody></table></div></section>`
    : html`<p class="card notice">No model is published yet, so shoppers have no segments.</p>`
}
<details class="card"><summary>Daily numbers</summary><div class="scroll"><table><thead><tr><th scope="col">Day</th>${names.map((n) => html`<th scope="col">${n}</th>`)}<th scope="col">Total</th></tr></thead><tbody>
${series.map((d) => html`<tr><th scope="row">${d.day}${d.capped ? ' (capped)' : ''}</th>${names.map((n) => html`<td>${Object.hasOwn(d.segments, n) ? d.segments[n] : 0}</td>`)}<td>${d.total}</td></tr>`)}
</tbody></table></div></details>`;
  return page(c, 'Segments', body, { data: { kind: 'segments', names, series }, script: series.length > 0 });
});
