import * as v from 'valibot';
import { BlockConfigSchema, type BlockConfig, type Variant } from '../contract/blocks.js';
import { fetchCachedJson, readCachedJson } from '../cached-fetch.js';

/**
 * The merchandisers' block configuration from the edge (`GET /v1/blocks`), revalidated with its ETag on
 * each page and kept in localStorage, so a repeat visit renders configured variants before any request.
 */
const KEY = 'shoal:blocks';
const isConfig = (x: unknown): x is BlockConfig => v.is(BlockConfigSchema, x);

export const cachedBlockConfig = (storage: Storage | undefined): BlockConfig | null =>
  readCachedJson(storage, KEY, isConfig);

/** @example const config = await fetchBlockConfig('https://edge.example/', localStorage); */
export const fetchBlockConfig = (edgeUrl: string, storage: Storage | undefined): Promise<BlockConfig> =>
  fetchCachedJson(edgeUrl, '/v1/blocks', storage, KEY, isConfig);

/** Builds a configured variant's DOM. `html` was sanitised by the edge when it was saved. */
export function renderVariant(doc: Document, variant: Variant): DocumentFragment {
  const template = doc.createElement('template');
  if (variant.html !== undefined) {
    template.innerHTML = variant.html;
    return template.content;
  }
  const out = template.content;
  const add = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    setup: (el: HTMLElementTagNameMap[K]) => void,
    parent: ParentNode = out,
  ) => {
    const el = doc.createElement(tag);
    setup(el);
    parent.appendChild(el);
    return el;
  };
  if (variant.imageUrl)
    add('img', (img) => {
      img.src = variant.imageUrl!;
      img.alt = variant.title ?? '';
    });
  if (variant.title) add('h3', (h) => (h.textContent = variant.title!));
  if (variant.text) add('p', (p) => (p.textContent = variant.text!));
  if (variant.products?.length) {
    const list = add('ul', (ul) => ul.setAttribute('data-shoal-products', ''));
    for (const id of variant.products) add('li', (li) => (li.textContent = id), list);
  }
  if (variant.link)
    add('a', (a) => {
      a.href = variant.link!;
      a.textContent = variant.title ?? variant.link!;
    });
  return out;
}
