import * as v from 'valibot';
import { BlockConfigSchema, type BlockConfig, type Variant } from '../contract/blocks.js';
import { readJson, writeJson } from '../storage.js';

/**
 * The merchandisers' block configuration from the edge (`GET /v1/blocks`), revalidated with its ETag on
 * each page and kept in localStorage, so a repeat visit renders configured variants before any request.
 */
const KEY = 'shoal:blocks';
const FETCH_TIMEOUT_MS = 5000;

interface Cached {
  etag: string;
  config: BlockConfig;
}

const isCached = (x: unknown): x is Cached =>
  typeof x === 'object' && x !== null && typeof (x as Cached).etag === 'string' && v.is(BlockConfigSchema, (x as Cached).config);
const readCached = (storage: Storage | undefined) => readJson(storage, KEY, isCached);

export const cachedBlockConfig = (storage: Storage | undefined): BlockConfig | null => readCached(storage)?.config ?? null;

/**
 * The current configuration: the cached one when the edge says it has not changed (304), else the new one.
 * @example const config = await fetchBlockConfig('https://edge.example/', localStorage);
 */
export async function fetchBlockConfig(edgeUrl: string, storage: Storage | undefined): Promise<BlockConfig> {
  const cached = readCached(storage);
  const res = await fetch(new URL('/v1/blocks', edgeUrl), {
    credentials: 'omit',
    headers: cached ? { 'if-none-match': cached.etag } : {},
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (res.status === 304 && cached) return cached.config;
  if (!res.ok) throw new Error(`GET /v1/blocks answered ${res.status}`);
  const config = v.parse(BlockConfigSchema, await res.json());
  writeJson(storage, KEY, { etag: res.headers.get('etag') ?? '', config });
  return config;
}

/** Builds a configured variant's DOM. `html` was sanitised by the edge when it was saved. */
export function renderVariant(doc: Document, variant: Variant): DocumentFragment {
  const template = doc.createElement('template');
  if (variant.html !== undefined) {
    template.innerHTML = variant.html;
    return template.content;
  }
  const out = template.content;
  const add = <K extends keyof HTMLElementTagNameMap>(tag: K, setup: (el: HTMLElementTagNameMap[K]) => void, parent: ParentNode = out) => {
    const el = doc.createElement(tag);
    setup(el);
    parent.appendChild(el);
    return el;
  };
  if (variant.imageUrl) add('img', (img) => ((img.src = variant.imageUrl!), (img.alt = variant.title ?? '')));
  if (variant.title) add('h3', (h) => (h.textContent = variant.title!));
  if (variant.text) add('p', (p) => (p.textContent = variant.text!));
  if (variant.products?.length) {
    const list = add('ul', (ul) => ul.setAttribute('data-shoal-products', ''));
    for (const id of variant.products) add('li', (li) => (li.textContent = id), list);
  }
  if (variant.link) add('a', (a) => ((a.href = variant.link!), (a.textContent = variant.title ?? variant.link!)));
  return out;
}
