import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeHarness, syncPayload } from '../edge/local/harness.js';
import type { EdgeHarness } from '../edge/local/harness.js';

// Erasure that stays final, and user ids that cannot be recomputed from public facts, on the real worker.
const SHOP = 'https://shop.example';
let edge: EdgeHarness;

beforeAll(async () => {
  edge = await startEdgeHarness({ allowedOrigins: SHOP, testScheduled: true });
}, 90_000);

afterAll(async () => {
  await edge?.stop();
}, 30_000);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** What the edge must store for a browser's user-id hash (edge/src/profiles/keys.ts), computed here independently. */
const keyed = (hash: string) => createHmac('sha256', edge.secrets.ID_PEPPER).update(`user:${hash}`).digest('hex');
const eraseBrowser = (id: string) => edge.call(`/v1/profiles/${id}`, { method: 'DELETE', headers: { Origin: SHOP } });
const eraseUser = (hash: string) => edge.admin(`/v1/profiles?userIdHash=${hash}`, { method: 'DELETE' });
const profileStatus = async (id: string) => (await edge.admin(`/v1/profiles/${id}`)).status;
const exported = async () =>
  ((await edge.admin('/v1/export?limit=5000')).body as string)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { anonymousId: string; userIdHash: string | null });
/** Every byte of the worker's local D1 state, WAL included, as text: what a copied database would reveal. */
async function databaseText(): Promise<string> {
  const dir = join(edge.persistDir, 'v3', 'd1');
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  const parts = await Promise.all(files.map((f) => readFile(join(f.parentPath, f.name))));
  return parts.map((b) => b.toString('latin1')).join('\n');
}

describe('erasure is final on workerd', () => {
  it('after DELETE /v1/profiles/:id, replays of old batches and a late retry are answered 202 and store nothing', async () => {
    const [shopper, bystander] = [randomUUID(), randomUUID()];
    const first = syncPayload(shopper);
    const second = syncPayload(shopper, { sentAt: first.sentAt + 1 });
    for (const p of [first, second, syncPayload(bystander)]) expect((await edge.sync(p)).status).toBe(202);
    expect(await eraseBrowser(shopper)).toMatchObject({ status: 204 });
    const erased = await edge.totals();

    for (const replay of [first, second, syncPayload(shopper, { sentAt: second.sentAt + 1 })]) {
      expect(await edge.sync(replay)).toMatchObject({ status: 202, body: { ok: true, duplicate: false } });
    }
    expect(await profileStatus(shopper)).toBe(404);
    expect(await edge.totals()).toEqual(erased);
    // Other shoppers sync as before.
    expect(await edge.sync(syncPayload(bystander, { sentAt: first.sentAt + 5 }))).toMatchObject({ status: 202 });
    expect((await edge.admin(`/v1/profiles/${bystander}`)).body).toMatchObject({ batches: 2 });
  });

  it('holds for a browser whose first sync arrives only after the erasure it asked for', async () => {
    const shopper = randomUUID();
    expect(await eraseBrowser(shopper)).toMatchObject({ status: 204 });
    expect(await edge.sync(syncPayload(shopper))).toMatchObject({ status: 202 });
    expect(await profileStatus(shopper)).toBe(404);
  });

  it('after erasure by user hash, no browser of that person is stored again, linked or not', async () => {
    const hash = sha256(`${randomUUID()}@example.com`);
    const [laptop, phone, tablet, stranger] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    // The laptop synced once before its shopper signed in: that batch carries no user hash.
    const anonymous = syncPayload(laptop);
    const signedIn = [
      syncPayload(laptop, { userIdHash: hash, sentAt: anonymous.sentAt + 1 }),
      syncPayload(phone, { userIdHash: hash }),
    ];
    for (const p of [anonymous, ...signedIn, syncPayload(stranger)]) expect((await edge.sync(p)).status).toBe(202);
    expect(await eraseUser(hash)).toMatchObject({ status: 200, body: { erased: 2 } });
    const erased = await edge.totals();

    // Replays of every batch, and the first sync of a browser the edge never saw, signed in as that person.
    for (const p of [anonymous, ...signedIn, syncPayload(tablet, { userIdHash: hash })]) {
      expect(await edge.sync(p)).toMatchObject({ status: 202, body: { duplicate: false } });
    }
    for (const id of [laptop, phone, tablet]) expect(await profileStatus(id)).toBe(404);
    expect(await edge.totals()).toEqual(erased);
    expect(await profileStatus(stranger)).toBe(200);
  });

  it('keeps only keyed tombstones: 16 bytes of an HMAC under ID_PEPPER, neither the id nor a plain hash of it', async () => {
    const shopper = randomUUID();
    expect((await edge.sync(syncPayload(shopper))).status).toBe(202);
    expect(await eraseBrowser(shopper)).toMatchObject({ status: 204 });
    const tombstones = await edge.sql('SELECT lower(hex(key)) AS key FROM erasures');
    const left = await edge.sql(`SELECT COUNT(*) AS n FROM profiles WHERE anonymous_id = '${shopper}'`);
    const expected = createHmac('sha256', edge.secrets.ID_PEPPER)
      .update(`erased-shopper:${shopper}`)
      .digest('hex')
      .slice(0, 32);
    const keys = tombstones.map((r) => r.key as string);
    expect(keys).toContain(expected);
    for (const key of keys) {
      expect(key).toHaveLength(32);
      expect(sha256(shopper)).not.toContain(key);
    }
    expect(left).toEqual([{ n: 0 }]);
  });
});

describe('user ids are stored keyed on workerd', () => {
  it("stores an HMAC of the browser's hash under the server's pepper: API, export and database files never hold the hash", async () => {
    const hash = sha256(`${new URL(SHOP).origin}\u0000${randomUUID()}@example.com`);
    const shopper = randomUUID();
    expect((await edge.sync(syncPayload(shopper, { userIdHash: hash }))).status).toBe(202);

    expect((await edge.admin(`/v1/profiles/${shopper}`)).body.userIdHash).toBe(keyed(hash));
    expect((await exported()).find((r) => r.anonymousId === shopper)?.userIdHash).toBe(keyed(hash));
    expect(keyed(hash)).not.toBe(hash);
    expect(await databaseText()).not.toContain(hash);
    // Erasure still goes by the browser's hash, the value a shop can compute from its customer's id.
    expect(await eraseUser(hash)).toMatchObject({ status: 200, body: { erased: 1 } });
  });

  it('moves rows stored before keying: shown keyed at once, erasable by hash, keyed in place by the sweep or the next sync', async () => {
    const [swept, resynced, erasedLater] = [randomUUID(), randomUUID(), randomUUID()];
    const hashes = [swept, resynced, erasedLater].map((id) => sha256(`legacy-${id}`));
    // Rows as the previous version wrote them: the browser's plain hash, no key.
    const values = [swept, resynced, erasedLater]
      .map((id, i) => `('${id}', '${hashes[i]}', 'x', '[]', '{}', 'loyal', 1, 1, ${Date.now()})`)
      .join(', ');
    await edge.sql(
      `INSERT INTO profiles (anonymous_id, user_id_hash, spec_hash, features, counts, segment, sent_at, first_seen, updated_at) VALUES ${values}`,
    );
    const plain = () =>
      edge.sql(`SELECT anonymous_id AS id, user_id_hash AS plain, user_key AS key FROM profiles
                WHERE anonymous_id IN ('${swept}', '${resynced}', '${erasedLater}') ORDER BY anonymous_id`);

    expect((await edge.admin(`/v1/profiles/${swept}`)).body.userIdHash).toBe(keyed(hashes[0]!));
    expect((await exported()).find((r) => r.anonymousId === resynced)?.userIdHash).toBe(keyed(hashes[1]!));
    expect(await eraseUser(hashes[2]!)).toMatchObject({ status: 200, body: { erased: 1 } });

    expect((await edge.sync(syncPayload(resynced, { userIdHash: hashes[1] }))).status).toBe(202);
    expect((await edge.call('/__scheduled?cron=17+*+*+*+*')).status).toBe(200);
    expect(await plain()).toEqual(
      [
        { id: swept, plain: null, key: keyed(hashes[0]!) },
        { id: resynced, plain: null, key: keyed(hashes[1]!) },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
});
