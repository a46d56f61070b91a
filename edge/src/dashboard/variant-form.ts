import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Variant } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { csrfField } from './layout.js';
import type { Html } from './layout.js';

/**
 * Where previews open: `?storefront=` on the dashboard URL if given, else the first storefront origin the edge
 * allows (ALLOWED_ORIGINS lists exactly the shop's origins), else none.
 *
 * @example
 * storefrontUrl(c); // 'https://shop.example'
 */
export function storefrontUrl(c: Context<AppEnv>): string | null {
  const candidates = [c.req.query('storefront'), ...(c.env.ALLOWED_ORIGINS ?? '').split(',')];
  for (const raw of candidates) {
    try {
      const url = new URL((raw ?? '').trim());
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
    } catch {
      // Not a URL (or `*`): try the next one.
    }
  }
  return null;
}

/** Opens the storefront as a shopper of `segment` sees it (the SDK's preview mode), in a new tab. */
export function previewLink(c: Context<AppEnv>, segment: string): Html | string {
  const shop = storefrontUrl(c);
  if (!shop) return '';
  const href = `${shop}/?shoal_segment=${encodeURIComponent(segment)}`;
  return html`<a href="${href}" target="_blank" rel="noopener noreferrer">Preview<span class="muted"> as ${segment}</span></a>`;
}

/** One line about a variant for the overview table; HTML is shown as text, never rendered, on the dashboard. */
export function variantSummary(variant: Variant | undefined): Html | string {
  if (!variant) return html`<span class="muted">not set</span>`;
  const parts = [variant.title, variant.text, variant.html && `HTML: ${variant.html.slice(0, 80)}`, variant.products?.length && `${variant.products.length} products`];
  return parts.filter(Boolean).join(' · ') || html`<span class="muted">image or link only</span>`;
}

const field = (name: string, label: string, value: string | undefined, type = 'text', hint = '') =>
  html`<label for="f-${name}">${label}</label>${hint ? html`<p class="muted" id="h-${name}">${hint}</p>` : ''}
<input id="f-${name}" name="${name}" type="${type}" value="${value ?? ''}" ${hint ? html`aria-describedby="h-${name}"` : ''}>`;

/** The edit form for one block and segment; `base` is the configuration version it was loaded at. */
export function editForm(c: Context<AppEnv>, p: { block: string; segment: string; base: number; variant: Variant | undefined }): Html {
  const v = p.variant ?? {};
  return html`<form class="card" method="post" action="/dashboard/blocks/${p.block}/${p.segment}">${csrfField(c)}
<input type="hidden" name="base" value="${p.base}">
<p class="muted">Empty fields are left out; leave every field empty to remove this segment's variant. HTML is sanitised when saved: scripts, event handlers and styles are removed.</p>
${field('title', 'Title', v.title)}
<label for="f-text">Text</label><textarea id="f-text" name="text" rows="3">${v.text ?? ''}</textarea>
${field('imageUrl', 'Image URL', v.imageUrl, 'url', 'https:// address of the image')}
${field('link', 'Link', v.link, 'url', 'Where the block links to')}
${field('products', 'Products', v.products?.join(', '), 'text', 'Product ids, comma-separated (at most 24)')}
<label for="f-html">HTML (optional, replaces the fields above on the storefront)</label><textarea id="f-html" name="html" rows="6">${v.html ?? ''}</textarea>
<p><button type="submit">Save ${p.block} for ${p.segment}</button> <a href="/dashboard/blocks">Cancel</a> ${previewLink(c, p.segment)}</p></form>`;
}
