import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../env.js';
import { DRIFT_ALARM_PSI as ALARM, driftReport } from '../stats/drift.js';
import { PSI_BANDS } from '../stats/psi.js';
import { page } from './layout.js';

/** A week of shoppers: enough for stable shares, recent enough to show a change in who is arriving. */
const DAYS = 7;

/** How a merchandiser (or whoever runs training) refreshes the model when the alarm is on. */
function retrainSteps(origin: string, model: string) {
  const next = `${model.split('-')[0]}-retrained`;
  return html`<ol><li>Train on recent orders: <pre>npm run train -- --data &lt;recent orders file&gt; --previous models/default --out models/${next}</pre></li>
<li>Publish it here (the quality gate compares it with the current model): <pre>npm run publish-model -- --dir models/${next} --edge ${origin} --token $SHOAL_PUBLISH_TOKEN</pre></li></ol>`;
}

/** Population stability per feature against the current model's training histograms, with the alarm on top. */
export const driftViews = new Hono<AppEnv>().get('/', async (c) => {
  const report = await driftReport(c.env, Date.now(), DAYS);
  const alarmed = report.features.filter((f) => f.psi !== null && f.psi > ALARM);
  const few = report.sample < report.minSample;
  const fewSources = report.sources < report.minSources;
  const worst = Math.max(0, ...report.features.map((f) => f.psi ?? 0));
  const origin = new URL(c.req.url).origin;
  const verdict = !report.histograms
    ? html`<p class="card notice" role="status">${report.reason}</p>`
    : report.sample === 0
      ? html`<p class="card notice" role="status">No customer synced in the last ${DAYS} days, so there is nothing to compare yet.</p>`
      : few
        ? html`<p class="card notice" role="status">Too few customers to judge drift: ${report.sample} synced in the last ${DAYS} days, ${report.minSample} needed. With so few, the indices below move by chance; no alarm is raised until there are enough.</p>`
        : fewSources
          ? html`<p class="card notice" role="status">Too few networks to judge drift: ${report.sample} customers came from ${report.sources} networks in the last ${DAYS} days, ${report.minSources} needed. So many shoppers from so few networks may be one client; no alarm is raised until they come from enough.</p>`
          : report.alarm
            ? html`<section class="card alarm" role="alert"><h2>Drift alarm: shoppers no longer look like the training data</h2>
<p>${alarmed.length} of ${report.features.length} features moved beyond PSI ${ALARM} (${alarmed.map((f) => f.name).join(', ')}). Segments and predictions of <code>${report.model}</code> may be wrong for today's shoppers: retrain.</p>${retrainSteps(origin, report.model ?? 'model')}</section>`
            : html`<p class="card ok" role="status">Stable: every feature is within PSI ${ALARM} (largest ${worst.toFixed(3)}) against the training data of <code>${report.model}</code>.</p>`;
  const body = html`${verdict}
<p class="muted">${report.sample} customers synced since ${report.window.since.slice(0, 10)} (and ${report.prospects} visitors with no order yet, who are not compared: the model was trained on customers), compared with model <code>${report.model ?? 'none'}</code>.${report.capped ? ' One network sent more than its share of them, so its customers were counted down to that share.' : ''} PSI below ${PSI_BANDS.moderate} is stable, ${PSI_BANDS.moderate}–${PSI_BANDS.significant} moderate, above ${PSI_BANDS.significant} significant.</p>
${
  report.features.length === 0
    ? ''
    : html`<div class="scroll"><table><thead><tr><th scope="col">Feature</th><th scope="col">PSI</th><th scope="col">Level</th><th scope="col" aria-hidden="true"></th></tr></thead><tbody>
${report.features.map(
  (
    f,
  ) => html`<tr><th scope="row">${f.name}</th><td>${f.psi === null ? '–' : f.psi.toFixed(3)}</td><td class="level-${f.level ?? 'none'}">${f.level ?? (f.constantInTraining ? 'constant in training: the model cannot use it' : report.sample === 0 ? 'no customers yet' : 'unusable histogram')}</td>
<td aria-hidden="true"><meter min="0" max="0.5" low="${PSI_BANDS.moderate}" high="${PSI_BANDS.significant}" optimum="0" value="${Math.min(f.psi ?? 0, 0.5)}"></meter></td></tr>`,
)}
</tbody></table></div>`
}`;
  return page(c, 'Drift', body);
});
