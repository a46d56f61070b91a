/**
 * Runs `fn` only if no other tab of this site is delivering (Web Locks, `ifAvailable`), so two open tabs never
 * send the same outbox at once. Without Web Locks there is nothing to coordinate with beyond idempotency keys.
 * @example await whenLockFree('shoal:deliver', () => deliverAll());
 */
export async function whenLockFree(name: string, fn: () => Promise<void>): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) {
    await fn();
    return true;
  }
  return locks.request(name, { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await fn();
    return true;
  });
}
