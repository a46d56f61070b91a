/**
 * localStorage access that never throws: storage can be disabled, full, or blocked by policy, and every
 * value Shoal keeps there is an optimisation or a preference it can live without for one page.
 */
export function readItem(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes `value`, or removes the key when `value` is null. */
export function writeItem(storage: Storage | undefined, key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Full or disabled: the value lives for this page only.
  }
}

export function readJson<T>(storage: Storage | undefined, key: string, valid: (x: unknown) => x is T): T | null {
  try {
    const parsed: unknown = JSON.parse(readItem(storage, key) ?? 'null');
    return valid(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes `value` as JSON, or removes the key when `value` is null. */
export function writeJson(storage: Storage | undefined, key: string, value: unknown): void {
  try {
    writeItem(storage, key, value === null ? null : JSON.stringify(value));
  } catch {
    // Not JSON (never the case for what Shoal stores): nothing is written.
  }
}
