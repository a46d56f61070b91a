import type { OutboxItem } from '../db.js';

const SEND_TIMEOUT_MS = 10_000;

/** What to do with an item after one attempt. */
export type Outcome = { result: 'done' } | { result: 'retry' | 'drop'; reason: string };

/**
 * One delivery attempt. `keepalive` lets the request outlive the page (pagehide); its body must stay under
 * the browser's 64 KiB keepalive budget, which a few-hundred-byte aggregate does. A sync is worth retrying
 * after a network error, a timeout, 408, 429 or 5xx; any other refusal would be refused again, so it is
 * dropped. An erase is done only when the edge answers 2xx (it answers 204 whether or not anything was
 * stored, so a 404 came from something else on the way): anything else is retried.
 */
export async function sendItem(edgeUrl: string, item: OutboxItem, keepalive = false): Promise<Outcome> {
  const init: RequestInit =
    item.kind === 'sync'
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(item.payload) }
      : { method: 'DELETE' };
  const path = item.kind === 'sync' ? '/v1/sync' : `/v1/profiles/${encodeURIComponent(item.anonymousId)}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, edgeUrl), {
      ...init,
      keepalive,
      credentials: 'omit',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (e) {
    return { result: 'retry', reason: e instanceof Error ? e.message : String(e) };
  }
  if (res.ok) return { result: 'done' };
  const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
  const reason = `${item.kind} answered ${res.status} ${body?.error?.code ?? ''}`.trim();
  const transient = item.kind === 'erase' || res.status === 408 || res.status === 429 || res.status >= 500;
  return { result: transient ? 'retry' : 'drop', reason };
}
