import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Upgrading a database the previous version wrote: migrations up to 0005, rows as that version stored them,
// then this version's migrations, all on local D1 through wrangler, as `migrations apply --remote` would.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EDGE = join(ROOT, 'edge');
const DAY = 86_400_000;
let dir: string;

/** wrangler against the copy's config and state; `--json` answers parsed. */
async function wrangler(...args: string[]): Promise<string> {
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  const config = ['--local', '--persist-to', join(dir, 'state'), '--config', join(dir, 'wrangler.toml')];
  const { stdout } = await run(join(ROOT, 'node_modules/.bin/wrangler'), ['d1', ...args, ...config], {
    cwd: ROOT,
    env,
    timeout: 60_000,
  });
  return stdout;
}
const sql = async (command: string) =>
  (JSON.parse(await wrangler('execute', 'DB', '--json', '--command', command)) as { results: unknown[] }[]).map(
    (r) => r.results,
  );
/** Copies edge/migrations whose number is below `below` into the copy's migrations folder. */
async function migrations(below: number): Promise<void> {
  for (const file of await readdir(join(EDGE, 'migrations')))
    if (Number(file.slice(0, 4)) < below) await copyFile(join(EDGE, 'migrations', file), join(dir, 'migrations', file));
  await wrangler('migrations', 'apply', 'DB');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoal-migrate-'));
  await mkdir(join(dir, 'migrations'));
  const config = (await readFile(join(EDGE, 'wrangler.toml'), 'utf8'))
    .replace('migrations_dir = "migrations"', `migrations_dir = "${join(dir, 'migrations')}"`)
    .replace('main = "src/index.ts"', `main = "${join(EDGE, 'src/index.ts')}"`)
    .replace('directory = "../sdk/dist/browser"', `directory = "${join(dir, 'assets')}"`);
  await writeFile(join(dir, 'wrangler.toml'), config);
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('migrations 0010–0013 on a database the previous version wrote', () => {
  it('moves recent batch ids into batch_ids, rolls earlier days up per segment and leaves plain user hashes for the worker', async () => {
    await migrations(10);
    const now = Date.now();
    const [a, b] = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
    const batch = (n: number) => `11111111-0000-4000-8000-00000000000${n}`;
    const hash = 'ab'.repeat(32);
    await sql(
      `INSERT INTO profiles (anonymous_id, user_id_hash, spec_hash, features, counts, segment, sent_at, first_seen, updated_at)
       VALUES ('${a}', '${hash}', 'x', '[]', '{}', 'loyal', 1, 1, ${now}), ('${b}', NULL, 'x', '[]', '{}', NULL, 1, 1, ${now});
       INSERT INTO sync_batches (batch_id, anonymous_id, received_at, segment) VALUES
         ('${batch(1)}', '${a}', ${now - 20 * DAY}, 'loyal'), ('${batch(2)}', '${a}', ${now - 20 * DAY + 1000}, 'loyal'),
         ('${batch(3)}', '${b}', ${now - 20 * DAY}, NULL), ('${batch(4)}', '${a}', ${now - DAY}, 'loyal'),
         ('${batch(5)}', '${b}', ${now}, 'new')`,
    );

    await migrations(20);
    const [moved, days, old, users] = await sql(
      `SELECT lower(hex(b.id)) AS id, p.anonymous_id AS shopper, b.segment FROM batch_ids b JOIN profiles p ON p.rowid = b.shopper ORDER BY b.id;
       SELECT day, segment, shoppers FROM segment_days ORDER BY day, segment;
       SELECT COUNT(*) AS n FROM sync_batches;
       SELECT anonymous_id AS id, user_id_hash AS plain, user_key AS key FROM profiles ORDER BY anonymous_id`,
    );
    expect(moved).toEqual([
      { id: batch(4).replace(/-/g, ''), shopper: a, segment: 'loyal' },
      { id: batch(5).replace(/-/g, ''), shopper: b, segment: 'new' },
    ]);
    // Two batches of one shopper on one day count once.
    const day = Math.floor((now - 20 * DAY) / DAY);
    expect(days).toEqual([
      { day, segment: '(none)', shoppers: 1 },
      { day, segment: 'loyal', shoppers: 1 },
    ]);
    expect(old).toEqual([{ n: 0 }]);
    // SQL cannot compute the HMAC: the worker keys this row (test/edge-erasure.test.ts).
    expect(users).toEqual([
      { id: a, plain: hash, key: null },
      { id: b, plain: null, key: null },
    ]);
    // Four wrangler runs, each starting its own local D1: slow on a busy machine.
  }, 240_000);
});
