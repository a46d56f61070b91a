import type { Consent } from './consent.js';
import type { toggleOverlay } from './ml/overlay.js';
import type { Scorer, ScorerOptions } from './ml/runtime.js';

export interface ShoalConfig {
  /** The edge that serves models and receives aggregates, e.g. `https://shoal.example.com/`. */
  edgeUrl: string;
  /** Where shoal-ml.js and the tfjs .wasm files are served. */
  sdkBase: string;
  /** Loads the ML chunk and returns a scorer; injected so the script-tag and ESM builds load it their own way. */
  loadScorer: (options: ScorerOptions) => Promise<Scorer>;
  /** Loads the debug overlay on demand: few pages ever show it, so it stays out of the core. */
  loadOverlay: () => Promise<typeof toggleOverlay>;
  debug?: boolean;
  /** Record page views (including History API navigations) and dwell time without being asked. */
  autotrack?: boolean;
  /** Wait this long after the last event before queueing a snapshot, so a burst becomes one batch. */
  syncDelayMs?: number;
  /** Consent until the shopper says otherwise through `consent()`. */
  defaultConsent?: Consent;
  /** Per-store salt for hashing user ids in `identify()`. */
  salt?: string;
}

const DEFAULTS = {
  debug: false,
  autotrack: true,
  syncDelayMs: 1000,
  defaultConsent: { personalise: true, sync: true },
} satisfies Partial<ShoalConfig>;

/** The configuration with every default filled in. */
export type Config = ShoalConfig & Required<Pick<ShoalConfig, keyof typeof DEFAULTS>>;

export const withDefaults = (config: ShoalConfig): Config => ({ ...DEFAULTS, ...config });
