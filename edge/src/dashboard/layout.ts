import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppEnv } from '../env.js';
import { CSRF_FIELD } from './session.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  ['segments', 'Segments'],
  ['blocks', 'Blocks'],
  ['models', 'Models'],
  ['drift', 'Drift'],
] as const;

// One stylesheet for every view: system fonts, no web fonts or frameworks, so a page is a few KB and paints at once.
const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1b1f24;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.75rem 1.25rem;background:#12304a;color:#fff}
header a{color:#fff}header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}header nav a{padding:.25rem 0}
header nav a[aria-current=page]{font-weight:700;border-bottom:2px solid #7cc4ff}header form{margin-left:auto;display:flex;align-items:center;gap:.75rem}
main{max-width:1180px;margin:0 auto;padding:1rem 1.25rem 3rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1.5rem}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #dde1e6;vertical-align:top}
.scroll{overflow-x:auto}.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:1rem;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input,textarea{width:100%;font:inherit;padding:.4rem;border:1px solid #9aa4af;border-radius:4px}
button,.button{display:inline-block;font:inherit;padding:.45rem .9rem;border:0;border-radius:4px;background:#1565c0;color:#fff;cursor:pointer;text-decoration:none}
button.danger{background:#b3261e}header button{background:#2d5677}
:focus-visible{outline:3px solid #ff9800;outline-offset:2px}
.alarm{border-left:6px solid #b3261e;background:#fdecea}.ok{border-left:6px solid #2e7d32;background:#edf7ee}.notice{border-left:6px solid #1565c0;background:#e8f1fb}
.level-significant{color:#b3261e;font-weight:700}.level-moderate{color:#8a5a00;font-weight:600}.muted{color:#5a6570}
code,pre{background:#eef1f4;padding:.1rem .3rem;border-radius:3px;overflow-x:auto}pre{padding:.6rem;white-space:pre-wrap}
.chart{position:relative;height:320px}
.segments{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1rem;margin-bottom:1.5rem}.segments .card{margin:0}
.segment h3{margin:0 0 .25rem;font-size:1.15rem}.segment p{margin:.4rem 0}.segment .size{font-size:1.05rem}
.split{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1.25rem;align-items:start}.split>.preview{position:sticky;top:1rem}
.preview iframe{display:block;width:100%;height:620px;border:1px solid #9aa4af;border-radius:4px;background:#fff;margin:.5rem 0}
.picker{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}.picker label{margin:0}select{font:inherit;padding:.35rem;border:1px solid #9aa4af;border-radius:4px}
@media (max-width:900px){.split{grid-template-columns:minmax(0,1fr)}.split>.preview{position:static}.preview iframe{height:520px}}
@media (max-width:600px){main{padding:.75rem}.chart{height:240px}th,td{padding:.35rem}.segments{grid-template-columns:minmax(0,1fr)}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}table.stack tr{display:block;border-bottom:2px solid #9aa4af;padding:.4rem 0}
table.stack th,table.stack td{display:block;border:0}table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:.85em;font-weight:600;color:#5a6570}
table.stack ul{padding-left:1.1rem;margin:.25rem 0}}
`;

/**
 * A time as the dashboard shows it: minutes are what a merchandiser needs to line a change up with what they
 * saw on the storefront.
 *
 * @example
 * when('2026-11-24T10:07:40.916Z'); // '2026-11-24 10:07 UTC'
 */
export const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

/** The hidden field every dashboard form carries; `requireSession()` checks it on POST. */
export const csrfField = (c: Context<AppEnv>) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${c.get('csrf')}">`;

/** A one-line message passed through a redirect (`?ok=` or `?error=`), shown in a live region. */
export function flash(c: Context<AppEnv>): Html | string {
  const ok = c.req.query('ok');
  const error = c.req.query('error');
  if (error) return html`<p class="card alarm" role="alert">${error}</p>`;
  if (ok) return html`<p class="card ok" role="status">${ok}</p>`;
  return '';
}

/**
 * A full dashboard page; `frame` is the one origin it may frame (the storefront preview). Data for scripts goes in `<script type="application/json">` (never executed, and `<`
 * is escaped so a segment name cannot close the tag); the Content-Security-Policy allows only the edge's own
 * scripts, so even an HTML injection could not run code here.
 */
export function page(
  c: Context<AppEnv>,
  title: string,
  body: Html,
  opts: { data?: unknown; script?: boolean; nav?: boolean; frame?: string | null } = {},
): Response | Promise<Response> {
  const data =
    opts.data === undefined
      ? ''
      : raw(
          `<script type="application/json" id="dashboard-data">${JSON.stringify(opts.data).replace(/</g, '\\u003c')}</script>`,
        );
  const current = new URL(c.req.url).pathname.split('/')[2] ?? '';
  const nav =
    opts.nav === false
      ? ''
      : html`<nav aria-label="Dashboard">${NAV.map(
          ([path, label]) =>
            html`<a href="/dashboard/${path}" ${path === current ? raw('aria-current="page"') : ''}>${label}</a>`,
        )}</nav>
    <form method="post" action="/dashboard/logout"><span class="who">Signed in as <strong>${c.get('publisher')}</strong></span> ${csrfField(c)}<button type="submit">Sign out</button></form>`;
  // Frames: exactly the storefront origin on pages that preview it, none anywhere else.
  const frames = opts.frame ?? "'none'";
  c.header(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; frame-src ${frames}; frame-ancestors 'none'; form-action 'self'; base-uri 'none'`,
  );
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Shoal dashboard</title><style>${raw(CSS)}</style></head>
<body><header><strong>Shoal</strong>${nav}</header><main id="main"><h1>${title}</h1>${flash(c)}${body}</main>${data}
${opts.script ? raw('<script src="/dashboard/dashboard.js" defer></script>') : ''}</body></html>`);
}

/** Sends the browser back to a view with a message (POST → redirect → GET, so reload never resubmits). */
export function back(c: Context<AppEnv>, path: string, message: { ok?: string; error?: string }): Response {
  const query = new URLSearchParams(message as Record<string, string>).toString();
  return c.redirect(`/dashboard/${path}?${query}`, 303);
}
