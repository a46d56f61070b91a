import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';
import { isVersion } from '../models/files.js';
import { listModels, rollbackModel } from '../models/registry.js';
import type { ModelEntry, ModelEvent } from '../models/registry.js';
import { back, csrfField, page, when } from './layout.js';

/** The headline comparisons a trainer manifest carries: the model against its baselines on the holdout. */
const HEADLINES = [
  {
    label: 'Churn AUC (higher is better)',
    model: 'mlp_churn_auc',
    baselines: { 'BG/NBD': 'bgnbd_churn_auc', 'RFM rules': 'rfm_rules_churn_auc' },
  },
  {
    label: 'Purchases RMSE (lower is better)',
    model: 'mlp_purchases_rmse',
    baselines: { 'BG/NBD': 'bgnbd_purchases_rmse', 'RFM rules': 'rfm_rules_purchases_rmse' },
  },
  {
    label: 'Spend RMSE (lower is better)',
    model: 'mlp_spend_rmse',
    baselines: { 'BG/NBD': 'bgnbd_spend_rmse', 'RFM rules': 'rfm_rules_spend_rmse' },
  },
] as const;

const fmt = (n: number | undefined) => (n === undefined ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(3));

function headlines(metrics: Record<string, number>) {
  const rows = HEADLINES.filter((h) => metrics[h.model] !== undefined);
  if (rows.length === 0) return html`<span class="muted">no headline metrics</span>`;
  return html`<ul>${rows.map(
    (h) =>
      html`<li>${h.label}: <strong>${fmt(metrics[h.model])}</strong>${Object.entries(h.baselines).map(([name, key]) =>
        metrics[key] === undefined ? '' : html` · ${name} ${fmt(metrics[key])}`,
      )}</li>`,
  )}</ul>`;
}

const who = (name: string | null) =>
  name === null ? html`<span class="muted">unknown</span>` : html`<strong>${name}</strong>`;

function changeLog(events: ModelEvent[]) {
  if (events.length === 0) return '';
  return html`<section aria-labelledby="log-h"><h2 id="log-h">Change log</h2>
<p class="muted">Every publish and rollback, newest first, under the name of the publish token that made it.</p>
<div class="scroll"><table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead><tbody>
${events.map((e) => html`<tr><td>${when(e.at)}</td><td>${who(e.by)}</td><td>${e.action === 'publish' ? 'Published' : 'Rolled back to'} <code>${e.version}</code>${e.previous === null ? '' : html` <span class="muted">(was ${e.previous})</span>`}</td></tr>`)}
</tbody></table></div></section>`;
}

function versionParam(raw: string): string {
  if (!isVersion(raw)) throw new EdgeError(404, 'not_found', 'No such version');
  return raw;
}

/** The model registry with a two-step rollback: a confirmation page, then a POST. */
export const modelViews = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { current, models, events } = await listModels(c.env);
    const status = (
      m: ModelEntry,
    ) => html`${m.version === current ? html`<strong>current</strong>` : html`<a class="button" href="/dashboard/models/${m.version}/rollback">Roll back to ${m.version}</a>`}
${m.lastRollback ? html`<p class="muted">Made current again by ${who(m.lastRollback.by)}, ${when(m.lastRollback.at)}</p>` : ''}`;
    const body = html`<p>Storefronts load the current model on their next page view after a publish or rollback.</p>
${
  models.length === 0
    ? html`<p class="card notice">No model published yet: <code>npm run publish-model -- --dir models/default</code>.</p>`
    : html`
<div class="scroll"><table class="stack"><thead><tr><th scope="col">Version</th><th scope="col">Trained on data up to</th><th scope="col">Published (by)</th><th scope="col">Holdout metrics vs baselines</th><th scope="col">Status</th></tr></thead><tbody>
${models.map(
  (
    m,
  ) => html`<tr><th scope="row"><code>${m.version}</code></th><td data-label="Trained on data up to">${m.createdAt.slice(0, 10)}</td><td data-label="Published">${when(m.publishedAt)}<br>by ${who(m.publishedBy)}</td>
<td data-label="Holdout metrics vs baselines">${headlines(m.metrics)}<details><summary>All ${Object.keys(m.metrics).length} metrics</summary><dl>${Object.entries(m.metrics).map(([k, n]) => html`<dt>${k}</dt><dd>${fmt(n)}</dd>`)}</dl></details></td>
<td data-label="Status">${status(m)}</td></tr>`,
)}
</tbody></table></div>${changeLog(events)}`
}`;
    return page(c, 'Models', body);
  })
  .get('/:version/rollback', async (c) => {
    const version = versionParam(c.req.param('version'));
    const { current } = await listModels(c.env);
    const body = html`<form class="card alarm" method="post" action="/dashboard/models/${version}/rollback">${csrfField(c)}
<p>Make <code>${version}</code> the current model instead of <code>${current ?? 'none'}</code>? Every storefront switches on its next page view, and shoppers may change segment. The change log records it under your name, <strong>${c.get('publisher')}</strong>.</p>
<p><button class="danger" type="submit">Yes, roll back to ${version}</button> <a href="/dashboard/models">Cancel</a></p></form>`;
    return page(c, 'Confirm rollback', body);
  })
  .post('/:version/rollback', async (c) => {
    const version = versionParam(c.req.param('version'));
    try {
      const { previous } = await rollbackModel(c.env, version, c.get('publisher'), Date.now());
      return back(c, 'models', {
        ok: `${version} is now current (was ${previous ?? 'none'}), rolled back by ${c.get('publisher')}.`,
      });
    } catch (err) {
      if (err instanceof EdgeError && err.status < 500) return back(c, 'models', { error: err.message });
      throw err;
    }
  });
