import { describe, expect, it } from 'vitest';
import { buildFixtureModel, publishForm } from '../../local/fixture-model.js';
import { app } from '../app.js';
import { CURRENT_KEY } from './files.js';

/**
 * Just enough D1, KV and R2 to see what publish and rollback write, and under whose name. The SQL itself runs
 * on real D1 in test/edge-admin.test.ts; here the question is only which name reaches which statement.
 */
function fakeEnv(tokens: string) {
  const writes: { sql: string; args: unknown[] }[] = [];
  const versions = new Set<string>();
  const kv = new Map<string, string>();
  const statement = (sql: string, args: unknown[] = []) => ({
    bind: (...a: unknown[]) => statement(sql, a),
    first: async () => (sql.startsWith('SELECT 1 FROM models') && versions.has(args[0] as string) ? { 1: 1 } : null),
    run: async () => {
      writes.push({ sql, args });
      if (sql.startsWith('INSERT INTO models')) versions.add(args[0] as string);
      return { success: true };
    },
  });
  const allow = { limit: async () => ({ success: true }) };
  const env = {
    PUBLISH_TOKENS: tokens,
    RATE_LIMIT_IP: allow,
    RATE_LIMIT_SHOPPER: allow,
    DB: {
      prepare: (sql: string) => statement(sql),
      batch: async (s: ReturnType<typeof statement>[]) => Promise.all(s.map((x) => x.run())),
    },
    KV: { get: async (k: string) => kv.get(k) ?? null, put: async (k: string, v: string) => void kv.set(k, v) },
    MODELS: { put: async () => ({}) },
  };
  return { env, writes, kv };
}

const post = (env: object, path: string, token: string, body?: FormData) =>
  app.request(path, { method: 'POST', body, headers: { Authorization: `Bearer ${token}` } }, env);

describe('model registry attribution', () => {
  it('records the token holder as publisher, and who rolled back to what', async () => {
    const { env, writes, kv } = fakeEnv('alice:tok-a,bob:tok-b');
    expect((await post(env, '/v1/models', 'tok-a', publishForm(buildFixtureModel('attr-1')))).status).toBe(201);
    expect((await post(env, '/v1/models', 'tok-b', publishForm(buildFixtureModel('attr-2')))).status).toBe(201);
    expect((await post(env, '/v1/models/attr-1/rollback', 'tok-b')).status).toBe(200);
    expect(kv.get(CURRENT_KEY)).toBe('attr-1');

    const models = writes.filter((w) => w.sql.startsWith('INSERT INTO models')).map((w) => [w.args[0], w.args[4]]);
    expect(models).toEqual([
      ['attr-1', 'alice'],
      ['attr-2', 'bob'],
    ]);
    // (at, action, version, previous, actor)
    const events = writes.filter((w) => w.sql.startsWith('INSERT INTO model_events')).map((w) => w.args.slice(1));
    expect(events).toEqual([
      ['publish', 'attr-1', null, 'alice'],
      ['publish', 'attr-2', 'attr-1', 'bob'],
      ['rollback', 'attr-1', 'attr-2', 'bob'],
    ]);
  });

  it('records nothing for a rollback to the version already current', async () => {
    const { env, writes } = fakeEnv('alice:tok-a');
    await post(env, '/v1/models', 'tok-a', publishForm(buildFixtureModel('attr-1')));
    const before = writes.length;
    const res = await post(env, '/v1/models/attr-1/rollback', 'tok-a');
    expect(await res.json()).toEqual({ version: 'attr-1', current: true, previous: 'attr-1' });
    expect(writes.length).toBe(before);
  });

  it('writes nothing for a token nobody holds', async () => {
    const { env, writes } = fakeEnv('alice:tok-a');
    expect((await post(env, '/v1/models', 'tok-x', publishForm(buildFixtureModel('attr-1')))).status).toBe(401);
    expect((await post(env, '/v1/models/attr-1/rollback', 'alice')).status).toBe(401);
    expect(writes).toEqual([]);
  });
});
