import { readJson, writeJson } from './storage.js';

/**
 * JSON documents from the edge kept in localStorage with their ETag: a repeat visit renders from the copy
 * before any request, and each page revalidates it with `If-None-Match` (304 when unchanged).
 */
const FETCH_TIMEOUT_MS = 5000;

interface Cached<T> {
  etag: string;
  body: T;
}

const cachedEntry = <T>(storage: Storage | undefined, key: string, valid: (x: unknown) => x is T) =>
  readJson(
    storage,
    key,
    (x): x is Cached<T> =>
      typeof x === 'object' && x !== null && typeof (x as Cached<T>).etag === 'string' && valid((x as Cached<T>).body),
  );

/** The stored copy, or null when there is none or it no longer passes `valid` (e.g. written by an older SDK). */
export const readCachedJson = <T>(storage: Storage | undefined, key: string, valid: (x: unknown) => x is T): T | null =>
  cachedEntry(storage, key, valid)?.body ?? null;

/**
 * The current document: the stored copy when the edge says it has not changed, else the new one, which
 * replaces the copy only if `valid` accepts it.
 * @example const config = await fetchCachedJson('https://edge.example/', '/v1/blocks', localStorage, 'shoal:blocks', isConfig);
 */
export async function fetchCachedJson<T>(
  edgeUrl: string,
  path: string,
  storage: Storage | undefined,
  key: string,
  valid: (x: unknown) => x is T,
): Promise<T> {
  const cached = cachedEntry(storage, key, valid);
  const res = await fetch(new URL(path, edgeUrl), {
    credentials: 'omit',
    headers: cached ? { 'if-none-match': cached.etag } : {},
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (res.status === 304 && cached) return cached.body;
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  const body: unknown = await res.json();
  if (!valid(body)) throw new Error(`GET ${path} answered a document this SDK cannot use`);
  writeJson(storage, key, { etag: res.headers.get('etag') ?? '', body });
  return body;
}
