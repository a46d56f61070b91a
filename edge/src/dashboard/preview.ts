import type { Context } from 'hono';
import { html } from 'hono/html';
import type { AppEnv, Env } from '../env.js';
import type { Html } from './layout.js';
import { previewUrl } from './preview-url.js';

function httpOrigin(raw: string | undefined): string | null {
  try {
    const url = new URL((raw ?? '').trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    // Not a URL (or `*`).
    return null;
  }
}

/**
 * The storefront origin the dashboard previews: `STOREFRONT_URL`, else the first storefront origin the edge
 * allows (ALLOWED_ORIGINS lists exactly the shop's origins), else none. Only configuration decides it, never
 * the request, because the dashboard's CSP allows framing exactly this origin.
 *
 * @example
 * storefrontOrigin({ ALLOWED_ORIGINS: 'https://shop.example,https://www.shop.example' }); // 'https://shop.example'
 */
export function storefrontOrigin(env: Pick<Env, 'STOREFRONT_URL' | 'ALLOWED_ORIGINS'>): string | null {
  if ((env.STOREFRONT_URL ?? '').trim() !== '') return httpOrigin(env.STOREFRONT_URL);
  for (const raw of (env.ALLOWED_ORIGINS ?? '').split(',')) {
    const origin = httpOrigin(raw);
    if (origin) return origin;
  }
  return null;
}

/**
 * The live preview: the storefront in a frame as a shopper of the chosen segment sees it. With `segments`, a
 * picker switches it (a plain GET form that the dashboard script turns into an instant switch); without, it
 * shows `segment` only (the edit page, which reloads after a save, and with it the frame).
 *
 * The frame is sandboxed: scripts and the shop's own storage work (the SDK needs both), but it cannot navigate
 * the dashboard or open windows. Without a configured storefront it says how to configure one.
 */
export function previewPanel(c: Context<AppEnv>, p: { segment: string; segments?: string[] }): Html {
  const origin = storefrontOrigin(c.env);
  if (!origin) {
    return html`<section class="card notice preview" aria-labelledby="preview-h"><h2 id="preview-h">Live preview</h2>
<p>Set <code>STOREFRONT_URL</code> (or <code>ALLOWED_ORIGINS</code>) on the edge to the storefront's address to preview it here.</p></section>`;
  }
  const src = previewUrl(origin, p.segment);
  const title = (segment: string) => `Storefront as a shopper of ${segment} sees it`;
  const picker = p.segments
    ? html`<form class="picker" method="get" action="/dashboard/blocks"><label for="preview-segment">As a shopper of</label>
<select id="preview-segment" name="preview" data-shop="${origin}">${p.segments.map((s) => html`<option value="${s}" ${s === p.segment ? 'selected' : ''}>${s}</option>`)}</select>
<button type="submit">Show</button></form>`
    : html`<p class="muted">As a shopper of <strong>${p.segment}</strong> sees it; saving reloads it.</p>`;
  return html`<section class="card preview" id="preview" aria-labelledby="preview-h"><h2 id="preview-h">Live preview</h2>${picker}
<iframe id="preview-frame" src="${src}" title="${title(p.segment)}" sandbox="allow-scripts allow-same-origin" referrerpolicy="no-referrer"></iframe>
<p><a id="preview-open" href="${src}" target="_blank" rel="noopener noreferrer">Open this preview in a new tab</a></p></section>`;
}
