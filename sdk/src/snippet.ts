/**
 * The inline snippet a storefront pastes (built to dist/snippet.js and dist/snippet.html). Kept tiny: it sits
 * in every page's <head>. Until shoal.js arrives, every public call is safe: calls are queued and replayed in
 * order (the promise-returning ones settle with the SDK's answer), and `status()` answers with `state:
 * 'loading'` and nothing recorded, personalised or synced. When shoal.js does not arrive (blocked by an ad
 * blocker or a CSP, a network error, or still missing after READY_TIMEOUT_MS) the state becomes 'failed' and
 * every promise settles: `ready()` with that status, `flush()` with false, `forget()` and `debug()` with
 * undefined, so nothing waits on them for ever. Blocks stay hidden for at most 1.5 s (anti-flicker), after
 * which their default content shows whatever happened.
 */
type Queued = [method: string, args: unknown[], settle?: (value: unknown) => void];
type Stub = Record<string, unknown> & { q: Queued[] };

((w: Window & { shoal?: Stub }, d: Document, edge: string) => {
  /** How long `ready()` waits for shoal.js before it answers the 'failed' status (README says so too). */
  const READY_TIMEOUT_MS = 10_000;
  const s = w.shoal || { q: [] };
  w.shoal = s;
  let state = 'loading';
  // The same fields as the SDK's status, with nothing in force yet (kept in step by test/snippet.test.ts).
  const status = () => ({
    state,
    backend: null,
    backendReason: null,
    modelRefused: null,
    model: null,
    segment: null,
    preview: false,
    valueTier: null,
    churn: null,
    intent: null,
    implausible: null,
    storage: 'opening',
    consent: { personalise: false, sync: false },
    syncBlocked: null,
    identified: false,
    events: 0,
    rejected: 0,
    synced: 0,
    outbox: { delivered: 0, pending: 0, retries: 0, dropped: 0 },
    errors: 0,
    lastError: null,
  });
  const settle = ([m, , r]: Queued) => r?.(m === 'ready' ? status() : m === 'flush' ? false : undefined);
  // shoal.js replaces window.shoal when it starts; if the stub is still there, it never will.
  const fail = () => {
    if (w.shoal === s && state === 'loading') {
      state = 'failed';
      s.q.forEach(settle);
    }
  };
  'track identify consent reset flush forget debug ready'.split(' ').forEach((m, i) => {
    s[m] =
      s[m] ||
      ((...a: unknown[]) => {
        if (i < 4) s.q.push([m, a]);
        else
          return new Promise((r) => {
            const call: Queued = [m, a, r];
            s.q.push(call);
            if (state === 'failed') settle(call);
          });
      });
  });
  s.status = s.status || status;
  setTimeout(() => d.documentElement.classList.add('shoal-ready'), 1500);
  setTimeout(fail, READY_TIMEOUT_MS);
  const t = d.createElement('script');
  t.async = true;
  t.src = `${edge}shoal.js`;
  t.setAttribute('data-edge', edge);
  t.onload = t.onerror = fail;
  d.head.appendChild(t);
})(window as never, document, 'https://edge.example.com/');
