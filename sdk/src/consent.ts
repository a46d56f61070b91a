import { readJson, writeJson } from './storage.js';

/**
 * What the shopper allowed. `personalise`: behaviour is recorded on this device and blocks are personalised.
 * `sync`: the aggregate may leave the device. Global Privacy Control always means no sync.
 */
export interface Consent {
  personalise: boolean;
  sync: boolean;
}

const KEY = 'shoal:consent';

export function gpcEnabled(): boolean {
  return (
    (globalThis.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined)?.globalPrivacyControl ===
    true
  );
}

const isPartial = (x: unknown): x is Partial<Consent> => typeof x === 'object' && x !== null;

/** The stored choice, else the store's configured default. */
export function readConsent(storage: Storage | undefined, fallback: Consent): Consent {
  const stored = readJson(storage, KEY, isPartial);
  return {
    personalise: typeof stored?.personalise === 'boolean' ? stored.personalise : fallback.personalise,
    sync: typeof stored?.sync === 'boolean' ? stored.sync : fallback.sync,
  };
}

const writeConsent = (storage: Storage | undefined, consent: Consent) => writeJson(storage, KEY, consent);

/** Whether the aggregate may be sent, and if not, why. */
export function syncBlockedBy(consent: Consent): 'gpc' | 'consent' | null {
  if (gpcEnabled()) return 'gpc';
  return consent.sync ? null : 'consent';
}

/** Applies the booleans `choice` holds to `consent` (anything else is ignored) and stores the result. */
export function updateConsent(storage: Storage | undefined, consent: Consent, choice: Partial<Consent> | undefined) {
  for (const key of ['personalise', 'sync'] as const)
    if (typeof choice?.[key] === 'boolean') consent[key] = choice[key];
  writeConsent(storage, consent);
}
