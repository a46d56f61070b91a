import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Variant } from '../../../sdk/src/contract/index.js';
import type { AppEnv } from '../env.js';
import { csrfField } from './layout.js';
import type { Html } from './layout.js';

/** Shows `segment` in the overview's live preview (the frame switches; a new tab is one link away there). */
export const previewLink = (segment: string): Html =>
  html`<a href="/dashboard/blocks?preview=${encodeURIComponent(segment)}#preview">Preview<span class="muted"> as ${segment}</span></a>`;

/** One line about a variant for the overview table; HTML is shown as text, never rendered, on the dashboard. */
export function variantSummary(variant: Variant | undefined): Html | string {
  if (!variant) return html`<span class="muted">not set</span>`;
  const parts = [
    variant.title,
    variant.text,
    variant.html && `HTML: ${variant.html.slice(0, 80)}`,
    variant.products?.length && `${variant.products.length} products`,
  ];
  return parts.filter(Boolean).join(' · ') || html`<span class="muted">image or link only</span>`;
}

const field = (name: string, label: string, value: string | undefined, type = 'text', hint = '') =>
  html`<label for="f-${name}">${label}</label>${hint ? html`<p class="muted" id="h-${name}">${hint}</p>` : ''}
<input id="f-${name}" name="${name}" type="${type}" value="${value ?? ''}" ${hint ? html`aria-describedby="h-${name}"` : ''}>`;

/** The edit form for one block and segment; `base` is the configuration version it was loaded at. */
export function editForm(
  c: Context<AppEnv>,
  p: { block: string; segment: string; base: number; variant: Variant | undefined },
): Html {
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
<p><button type="submit">Save ${p.block} for ${p.segment}</button> <a href="/dashboard/blocks">Cancel</a></p></form>`;
}
