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
  return (globalThis.navigator as (Navigator & { globalPrivacyControl?: boolean }) | undefined)?.globalPrivacyControl === true;
}

/** The stored choice, else the store's configured default. */
export function readConsent(storage: Storage | undefined, fallback: Consent): Consent {
  try {
    const stored = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<Consent> | null;
    return {
      personalise: typeof stored?.personalise === 'boolean' ? stored.personalise : fallback.personalise,
      sync: typeof stored?.sync === 'boolean' ? stored.sync : fallback.sync,
    };
  } catch {
    return fallback;
  }
}

export function writeConsent(storage: Storage | undefined, consent: Consent): void {
  try {
    storage?.setItem(KEY, JSON.stringify(consent));
  } catch {
    // Storage disabled: the choice holds for this page.
  }
}

/** Whether the aggregate may be sent, and if not, why. */
export function syncBlockedBy(consent: Consent): 'gpc' | 'consent' | null {
  if (gpcEnabled()) return 'gpc';
  return consent.sync ? null : 'consent';
}
