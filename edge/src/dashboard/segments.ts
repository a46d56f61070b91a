import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../env.js';
import { segmentMix } from '../stats/counts.js';
import { page } from './layout.js';
import { currentManifest } from './manifest.js';
import { money } from './profile-words.js';

// Tier minimums are on the model's log1p(spend) scale (trainer/src/score.ts); the table shows them as money.

/** Thirty days: a month of trend, a single indexed range read of batch rows. */
const DAYS = 30;

const pct = (part: number, total: number) => (total === 0 ? '–' : `${Math.round((part / total) * 100)}%`);

/**
 * Who the shoppers are: the daily segment mix as a chart (drawn by the dashboard script from the embedded
 * series) with the same numbers as a table for screen readers, and each segment in the model's own words.
 */
export const segmentViews = new Hono<AppEnv>().get('/', async (c) => {
  const [series, manifest] = await Promise.all([segmentMix(c.env.DB, Date.now(), DAYS), currentManifest(c.env)]);
  const latest = series.at(-1);
  const names = [...new Set([...(manifest?.segments.map((s) => s.name) ?? []), ...series.flatMap((d) => Object.keys(d.segments))])];
  const describe = (name: string) => manifest?.segments.find((s) => s.name === name)?.description ?? 'Not a segment of the current model.';
  const body = html`
<section class="card" aria-labelledby="mix-h"><h2 id="mix-h">Segment mix, last ${DAYS} days</h2>
  ${series.length === 0
    ? html`<p class="muted">No shopper has synced in the last ${DAYS} days yet.</p>`
    : html`<div class="chart"><canvas id="segment-chart" role="img" aria-label="Shoppers per segment per day; the table below has the same numbers"></canvas></div>`}
</section>
<section aria-labelledby="seg-h"><h2 id="seg-h">Segments${manifest ? html` of model <code>${manifest.version}</code>` : ''}</h2>
<div class="scroll"><table><thead><tr><th scope="col">Segment</th><th scope="col">Who they are</th><th scope="col">Shoppers ${latest ? html`on ${latest.day}` : ''}</th><th scope="col">Share</th></tr></thead><tbody>
${names.map((name) => html`<tr><th scope="row">${name}</th><td>${describe(name)}</td><td>${latest?.segments[name] ?? 0}</td><td>${pct(latest?.segments[name] ?? 0, latest?.total ?? 0)}</td></tr>`)}
</tbody></table></div></section>
${manifest ? html`<section aria-labelledby="tier-h"><h2 id="tier-h">Value tiers</h2>
<p class="muted">Each shopper is placed in the first tier whose minimum their predicted spend over the next ${manifest.horizonDays} days reaches.</p>
<div class="scroll"><table><thead><tr><th scope="col">Tier</th><th scope="col">Predicted spend of at least</th></tr></thead><tbody>
${manifest.valueTiers.map((t) => html`<tr><th scope="row">${t.name}</th><td>${t.min <= -1e8 ? 'everyone else' : money(Math.expm1(t.min))}</td></tr>`)}
</tbody></table></div></section>` : html`<p class="card notice">No model is published yet, so shoppers have no segments.</p>`}
<details class="card"><summary>Daily numbers</summary><div class="scroll"><table><thead><tr><th scope="col">Day</th>${names.map((n) => html`<th scope="col">${n}</th>`)}<th scope="col">Total</th></tr></thead><tbody>
${series.map((d) => html`<tr><th scope="row">${d.day}</th>${names.map((n) => html`<td>${d.segments[n] ?? 0}</td>`)}<td>${d.total}</td></tr>`)}
</tbody></table></div></details>`;
  return page(c, 'Segments', body, { data: { kind: 'segments', names, series }, script: series.length > 0 });
});
