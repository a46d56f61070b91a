/**
 * `shoal.debug()`: a small overlay for developers and merchandisers showing what Shoal decided and why.
 * It lives in a shadow root so the storefront's CSS cannot restyle it and it cannot restyle the page.
 * It ships in the ML chunk, which it needs for the explanation anyway, so the core stays small.
 */
import type { Explanation } from './runtime.js';
import type { ShoalStatus } from '../status.js';

const ID = 'shoal-debug';

export function toggleOverlay(doc: Document, status: ShoalStatus, why: Explanation[]): boolean {
  const existing = doc.getElementById(ID);
  if (existing) {
    existing.remove();
    return false;
  }
  const host = doc.createElement('div');
  host.id = ID;
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent =
    ':host{position:fixed;right:12px;bottom:12px;z-index:2147483647;font:12px/1.4 ui-monospace,monospace}' +
    'section{background:#111c;color:#fff;padding:10px 12px;border-radius:8px;max-width:320px}h2{font-size:13px;margin:0 0 6px}' +
    'dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:0}dt{opacity:.7}dd{margin:0}';
  const section = doc.createElement('section');
  section.setAttribute('role', 'status');
  const title = doc.createElement('h2');
  title.textContent = 'Shoal';
  const list = doc.createElement('dl');
  const rows: [string, string][] = [
    ['segment', `${status.segment ?? '—'}${status.preview ? ' (preview)' : ''}`],
    ['value tier', status.valueTier ?? '—'],
    ['churn risk', status.churn === null ? '—' : `${Math.round(status.churn * 100)} %`],
    ['backend', status.backend ?? '—'],
    ['model', status.model ?? '—'],
    ...why.map((w): [string, string] => [w.feature, `${w.impact >= 0 ? '+' : ''}${(w.impact * 100).toFixed(1)} pts`]),
  ];
  for (const [term, value] of rows) {
    const dt = doc.createElement('dt');
    dt.textContent = term;
    const dd = doc.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  section.append(title, list);
  root.append(style, section);
  doc.body.appendChild(host);
  return true;
}
