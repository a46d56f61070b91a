/**
 * Dashboard sessions signed out before they expired (table `revoked_sessions`). A session is otherwise
 * stateless (see session.ts), so this list is what makes signing out final: a copied cookie replayed
 * afterwards is refused. D1 rather than KV, which may answer from a stale copy for up to a minute.
 */

/**
 * Records that session `id` is over; kept until the cookie would have expired anyway.
 *
 * @example
 * await revokeSession(env.DB, session.id, session.expires);
 */
export async function revokeSession(db: D1Database, id: string, expiresAt: number): Promise<void> {
  await db
    .prepare('INSERT INTO revoked_sessions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING')
    .bind(id, expiresAt)
    .run();
}

/**
 * @example
 * if (await isRevoked(env.DB, session.id)) return c.redirect('/dashboard/login', 303);
 */
export async function isRevoked(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS revoked FROM revoked_sessions WHERE id = ?').bind(id).first()) !== null;
}

/**
 * Forgets revocations of sessions that have expired since (their cookies are refused for age alone).
 *
 * @example
 * await purgeRevokedSessions(env.DB, Date.now());
 */
export async function purgeRevokedSessions(db: D1Database, now: number): Promise<number> {
  const { meta } = await db.prepare('DELETE FROM revoked_sessions WHERE expires_at <= ?').bind(now).run();
  return meta.changes;
}
