import type { Env } from '../env.js';
import { moveUserKeys } from '../profiles/user-keys.js';
import { MIN_SECRET_LENGTH } from '../secrets.js';
import { purgeRevokedSessions } from '../dashboard/revocations.js';
import { purgeSegmentDays, rollUpSegmentMix } from '../stats/counts.js';
import { DEFAULT_BATCH_RETENTION_DAYS, DEFAULT_ERASURE_RETENTION_DAYS, retentionMs } from './periods.js';
import { clearSources, PURGEABLE, purgeBefore } from './purge.js';

/** Plain user-id hashes one run keys (see user-keys.ts): a few seconds of HMACs, well inside a cron's limits. */
const USER_KEYS_PER_RUN = 50_000;

/** What one sweep did, for the log. */
export interface SweepReport {
  profiles: number | null;
  batchIds: number | null;
  erasures: number | null;
  segmentDays: number;
  sourcesCleared: { profiles: number; batchIds: number };
  userKeysMoved: number | null;
  revokedSessions: number;
}

/**
 * The scheduled sweep: clears network sources past their week, rolls up the segment mix of days that are
 * over, deletes profiles not updated within `RETENTION_DAYS`, batch ids older than `BATCH_RETENTION_DAYS`, tombstones older than
 * `ERASURE_RETENTION_DAYS` and expired session revocations, and keys a slice of plain user-id hashes left
 * from before keying. A period that is missing or nonsensical skips its table (logged) rather than deleting
 * everything; batch ids and tombstones have defaults.
 *
 * @example
 * export default { fetch: app.fetch, scheduled: (controller, env) => runSweep(env, controller.scheduledTime) };
 */
export async function runSweep(env: Env, now: number): Promise<SweepReport> {
  const periods = {
    profiles: ['RETENTION_DAYS', env.RETENTION_DAYS],
    batchIds: ['BATCH_RETENTION_DAYS', env.BATCH_RETENTION_DAYS ?? DEFAULT_BATCH_RETENTION_DAYS],
    erasures: ['ERASURE_RETENTION_DAYS', env.ERASURE_RETENTION_DAYS ?? DEFAULT_ERASURE_RETENTION_DAYS],
  } as const;
  const report: SweepReport = {
    profiles: null,
    batchIds: null,
    erasures: null,
    segmentDays: 0,
    sourcesCleared: { profiles: 0, batchIds: 0 },
    userKeysMoved: null,
    revokedSessions: 0,
  };
  // Whatever the retention periods say, network sources go after their week.
  report.sourcesCleared = await clearSources(env.DB, now);
  // A day's mix is rolled up once the day is over, and at the latest before any of its batch ids go.
  const batchKeepMs = retentionMs(periods.batchIds[1]);
  report.segmentDays = await rollUpSegmentMix(env.DB, now, batchKeepMs === null ? 0 : now - batchKeepMs);
  for (const [kind, [name, days]] of Object.entries(periods) as [keyof typeof periods, readonly [string, string]][]) {
    const keepMs = retentionMs(days);
    if (keepMs === null) {
      console.warn(`sweep of ${kind} skipped: ${name}=${JSON.stringify(days)} is not a positive number`);
      continue;
    }
    report[kind] = await purgeBefore(env.DB, PURGEABLE[kind], now - keepMs);
  }
  await purgeSegmentDays(env.DB, now);
  report.revokedSessions = await purgeRevokedSessions(env.DB, now);
  // Without a pepper there is nothing to key with; sync and erasure answer 503 until it is set.
  if ((env.ID_PEPPER ?? '').length >= MIN_SECRET_LENGTH)
    report.userKeysMoved = await moveUserKeys(env.DB, env.ID_PEPPER!, USER_KEYS_PER_RUN);
  console.log('sweep', JSON.stringify(report));
  return report;
}
