/**
 * A random first-party id: it names this browser's aggregate at the edge and says nothing about the person.
 */
const KEY = 'shoal:aid';

export function anonymousId(storage: Storage | undefined): string {
  try {
    const existing = storage?.getItem(KEY);
    if (existing && /^[0-9a-f-]{36}$/.test(existing)) return existing;
    const id = crypto.randomUUID();
    storage?.setItem(KEY, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

export function forgetAnonymousId(storage: Storage | undefined): void {
  try {
    storage?.removeItem(KEY);
  } catch {
    // Storage disabled: there was no persistent id to forget.
  }
}
