import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { publisherFor, publishers, requireToken, tokensEqual } from './auth.js';

const guarded = new Hono<AppEnv>().get('/', requireToken(), (c) => c.text(c.get('publisher'))).onError(errorResponse);

async function status(env: object, authorization?: string) {
  const res = await guarded.request('/', { headers: authorization ? { Authorization: authorization } : {} }, env);
  return res.ok
    ? { status: res.status, publisher: await res.text() }
    : { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

describe('tokensEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%j vs %j → %s', async (a, b, want) => {
    expect(await tokensEqual(a, b)).toBe(want);
  });
});

describe('publishers', () => {
  it('reads name:token pairs, splitting at the first colon, and PUBLISH_TOKEN as "default"', () => {
    expect(
      publishers({ PUBLISH_TOKENS: ' alice:a-1 ,ci-bot:x:y:z,, jo.smith@shop:t ', PUBLISH_TOKEN: 'single' }),
    ).toEqual([
      { name: 'alice', token: 'a-1' },
      { name: 'ci-bot', token: 'x:y:z' },
      { name: 'jo.smith@shop', token: 't' },
      { name: 'default', token: 'single' },
    ]);
  });

  it.each([{}, { PUBLISH_TOKEN: '' }, { PUBLISH_TOKENS: '' }, { PUBLISH_TOKENS: ' , ' }])('is empty for %j', (env) => {
    expect(publishers(env)).toEqual([]);
  });

  it.each([
    ['S3CRET', /entry 1 is not name:token/],
    ['alice:S3CRET,bob', /entry 2 is not name:token/],
    ['alice:', /entry 1 is not name:token/],
    [':S3CRET', /entry 1: a name is/],
    ['al ice:S3CRET', /entry 1: a name is/],
    [`${'n'.repeat(65)}:S3CRET`, /entry 1: a name is/],
    ['alice:S3CRET1,alice:S3CRET2', /share a name/],
    ['alice:S3CRET,bob:S3CRET', /share a token/],
  ])('refuses %j as misconfigured (503), never echoing a token', (list, message) => {
    let err: { status?: number; code?: string; message?: string } = {};
    try {
      publishers({ PUBLISH_TOKENS: list });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ status: 503, code: 'publish_misconfigured', message: expect.stringMatching(message) });
    expect(err.message).not.toMatch(/S3CRET/);
  });

  it('refuses "default" in PUBLISH_TOKENS beside PUBLISH_TOKEN', () => {
    expect(() => publishers({ PUBLISH_TOKENS: 'default:x', PUBLISH_TOKEN: 'y' })).toThrow(/share a name/);
  });
});

describe('publisherFor', () => {
  const list = [
    { name: 'alice', token: 'a' },
    { name: 'bob', token: 'b' },
  ];
  it.each([
    ['a', 'alice'],
    ['b', 'bob'],
    ['c', null],
    ['', null],
    ['a ', null],
  ])('%j → %s', async (token, name) => {
    expect((await publisherFor(list, token))?.name ?? null).toBe(name);
  });
});

describe('requireToken', () => {
  const named = { PUBLISH_TOKEN: 's3cret', PUBLISH_TOKENS: 'alice:alice-tok,ci:ci-tok' };

  it('lets the right bearer token through as "default"', async () => {
    expect(await status({ PUBLISH_TOKEN: 's3cret' }, 'Bearer s3cret')).toEqual({ status: 200, publisher: 'default' });
  });

  it.each([
    ['Bearer alice-tok', 'alice'],
    ['Bearer ci-tok', 'ci'],
    ['Bearer s3cret', 'default'],
  ])('attributes %s to %s', async (header, name) => {
    expect(await status(named, header)).toEqual({ status: 200, publisher: name });
  });

  it('works with named tokens only', async () => {
    expect(await status({ PUBLISH_TOKENS: 'alice:alice-tok' }, 'Bearer alice-tok')).toEqual({
      status: 200,
      publisher: 'alice',
    });
  });

  it.each([undefined, 'Bearer wrong', 's3cret', 'Basic s3cret', 'Bearer ', 'Bearer alice', 'Bearer alice:alice-tok'])(
    'refuses %j with 401',
    async (header) => {
      expect(await status(named, header)).toEqual({ status: 401, code: 'unauthorized' });
    },
  );

  it.each([{}, { PUBLISH_TOKEN: '' }, { PUBLISH_TOKENS: '' }])(
    'is switched off (503) without a configured token: %j',
    async (env) => {
      expect(await status(env, 'Bearer ')).toEqual({ status: 503, code: 'publish_disabled' });
    },
  );

  it('is switched off (503) with a malformed token list, even for a valid PUBLISH_TOKEN', async () => {
    expect(await status({ PUBLISH_TOKEN: 's3cret', PUBLISH_TOKENS: 'alice' }, 'Bearer s3cret')).toEqual({
      status: 503,
      code: 'publish_misconfigured',
    });
  });
});
