import type { SyncPayload } from '../contract/sync.js';

const SEND_TIMEOUT_MS = 10_000;

/**
 * POSTs one aggregate. `keepalive` lets the request outlive the page (pagehide), which is why the body must
 * stay under the browser's 64 KiB keepalive budget — an aggregate is a few hundred bytes.
 */
export async function sendPayload(edgeUrl: string, payload: SyncPayload): Promise<void> {
  const res = await fetch(new URL('/v1/sync', edgeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    keepalive: true,
    credentials: 'omit',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    throw new Error(`sync rejected: ${res.status} ${body?.error?.code ?? ''}`.trim());
  }
}
