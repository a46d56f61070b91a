/**
 * `shoal.debug()`: a small overlay for developers and merchandisers showing what Shoal decided and why.
 * It lives in a shadow root so the storefront's CSS cannot restyle it and it cannot restyle the page.
 * It ships as a chunk beside the ML chunk (loaded only when shown), which it needs for the explanation anyway.
 */
import { PROSPECTS } from '../contract/segments.js';
import type { ShoalStatus } from '../status.js';
import type { Explanation } from './explain.js';

const ID = 'shoal-debug';

const percent = (p: number | null) => (p === null ? '—' : `${Math.round(p * 100)} %`);

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
    ['churn risk', percent(status.churn)],
    ['intent', status.implausible ?? percent(status.intent)],
    ['backend', status.backend ?? '—'],
    ['model', status.model ?? '—'],
    // What moved each output: the segment's probability (not for prospects, whom no customer head scores),
    // then intent, in points.
    ...why
      .filter((w) => w.of === 'intent' || status.segment !== PROSPECTS)
      .map((w): [string, string] => [
        `${w.of}: ${w.feature}`,
        `${w.impact >= 0 ? '+' : ''}${(w.impact * 100).toFixed(1)} pts`,
      ]),
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
