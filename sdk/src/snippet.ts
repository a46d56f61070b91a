/**
 * The inline snippet a storefront pastes (built to dist/snippet.js and dist/snippet.html). Until shoal.js
 * arrives, calls are queued and replayed in order; blocks stay hidden for at most 1.5 s (anti-flicker), after
 * which their default content shows whatever happened. Kept tiny: it sits in every page's <head>.
 */
((w: Window & { shoal?: { q: unknown[][] } & Record<string, unknown> }, d: Document, edge: string) => {
  const s = w.shoal || { q: [] };
  w.shoal = s;
  ['track', 'identify', 'consent', 'reset', 'flush', 'forget'].forEach((m) => {
    s[m] = s[m] || ((...args: unknown[]) => s.q.push([m, args]));
  });
  setTimeout(() => d.documentElement.classList.add('shoal-ready'), 1500);
  const t = d.createElement('script');
  t.async = true;
  t.src = `${edge}shoal.js`;
  t.setAttribute('data-edge', edge);
  d.head.appendChild(t);
})(window as never, document, 'https://edge.example.com/');
