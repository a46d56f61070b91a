import { PAGE_TYPES, type PageType } from '../contract/feature-spec.js';

/**
 * What the SDK records by itself: a page view per route (including single-page-app navigations through the
 * History API), typed as the shop marks the page, and the time each route was actually visible (dwell),
 * measured with the Page Visibility API.
 */
export interface AutotrackSink {
  pageView(path: string, pageType: PageType | undefined): void;
  dwell(ms: number): void;
  /** A page marked with a type Shoal does not know: its view is still recorded, untyped. */
  invalid(reason: string): void;
}

/**
 * The page's type as the shop marks it: `data-shoal-page` on `<html>` or `<body>`, read at each page view (a
 * single-page app updates it before navigating).
 */
function markedType(sink: AutotrackSink): PageType | undefined {
  const marked = document.documentElement.dataset.shoalPage ?? document.body?.dataset.shoalPage;
  if (marked === undefined || (PAGE_TYPES as readonly string[]).includes(marked)) return marked as PageType;
  sink.invalid(`data-shoal-page="${marked.slice(0, 32)}" is none of ${PAGE_TYPES.join(', ')}`);
}

/** Visible stretches shorter than this are noise (a tab flicked past), not dwell. */
const MIN_DWELL_MS = 1000;

export function startAutotrack(sink: AutotrackSink): void {
  let path = location.pathname;
  let visibleSince: number | null = document.visibilityState === 'visible' ? performance.now() : null;

  const closeDwell = () => {
    if (visibleSince === null) return;
    const ms = Math.round(performance.now() - visibleSince);
    visibleSince = null;
    if (ms >= MIN_DWELL_MS) sink.dwell(ms);
  };
  const routeChanged = () => {
    if (location.pathname === path) return;
    closeDwell();
    path = location.pathname;
    if (document.visibilityState === 'visible') visibleSince = performance.now();
    sink.pageView(path, markedType(sink));
  };

  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      routeChanged();
      return result;
    };
  }
  addEventListener('popstate', routeChanged);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') closeDwell();
    else visibleSince = performance.now();
  });
  addEventListener('pagehide', closeDwell);
  sink.pageView(path, markedType(sink));
}
