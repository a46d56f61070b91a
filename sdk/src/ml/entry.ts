import { createScorer } from './runtime.js';

/**
 * Script-tag entry of the lazy ML chunk: it hands `createScorer` to the core SDK through a global the core
 * awaits, because an IIFE has no dynamic import to resolve.
 */
declare global {
  interface Window {
    __shoalML?: { createScorer: typeof createScorer };
  }
}

window.__shoalML = { createScorer };
document.dispatchEvent(new Event('shoal:ml-ready'));
