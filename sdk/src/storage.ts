/**
 * localStorage access that never throws: storage can be disabled, full, or blocked by policy, and every
 * value Shoal keeps there is an optimisation or a preference it can live without for one page.
 */
export function readJson<T>(storage: Storage | undefined, key: string, valid: (x: unknown) => x is T): T | null {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key) ?? 'null');
    return valid(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes `value` as JSON, or removes the key when `value` is null. */
export function writeJson(storage: Storage | undefined, key: string, value: unknown): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or disabled: the next page simply starts without it.
  }
}
