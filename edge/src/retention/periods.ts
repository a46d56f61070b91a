export const MS_PER_DAY = 86_400_000;

/**
 * Default days a batch id is kept: the SDK drops an outbox item it could not deliver within 7 days of
 * creating it (`MAX_AGE_MS` in sdk/src/sync/delivery.ts), so no browser retries a batch after that; one more
 * day covers the last retry's backoff and a shopper's clock running slow.
 */
export const DEFAULT_BATCH_RETENTION_DAYS = '8';

/**
 * Default days an erasure's tombstone is kept: well past the SDK's retry window, because a browser that
 * comes back after weeks still sends what its outbox held once, and a re-created profile of an erased
 * shopper is the one failure that cannot be taken back. Tombstones are small (see bench/capacity.ts).
 */
export const DEFAULT_ERASURE_RETENTION_DAYS = '30';

/**
 * Parses a `*_RETENTION_DAYS` value. A missing or nonsensical value disables that sweep rather than
 * deleting everything.
 *
 * @example
 * retentionMs('180'); // 15552000000
 */
export function retentionMs(days: string | undefined): number | null {
  const n = Number(days);
  return days !== undefined && days.trim() !== '' && Number.isFinite(n) && n > 0 ? n * MS_PER_DAY : null;
}
