import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { errorResponse } from '../errors.js';
import { requireToken, tokensEqual } from './auth.js';

const guarded = new Hono<AppEnv>().get('/', requireToken(), (c) => c.text('in')).onError(errorResponse);

async function status(env: object, authorization?: string) {
  const res = await guarded.request('/', { headers: authorization ? { Authorization: authorization } : {} }, env);
  return { status: res.status, code: res.ok ? null : ((await res.json()) as { error: { code: string } }).error.code };
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

describe('requireToken', () => {
  it('lets the right bearer token through', async () => {
    expect(await status({ PUBLISH_TOKEN: 's3cret' }, 'Bearer s3cret')).toEqual({ status: 200, code: null });
  });

  it.each([undefined, 'Bearer wrong', 's3cret', 'Basic s3cret', 'Bearer '])('refuses %j with 401', async (header) => {
    expect(await status({ PUBLISH_TOKEN: 's3cret' }, header)).toEqual({ status: 401, code: 'unauthorized' });
  });

  it.each([{}, { PUBLISH_TOKEN: '' }])('is switched off (503) without a configured token: %j', async (env) => {
    expect(await status(env, 'Bearer ')).toEqual({ status: 503, code: 'publish_disabled' });
  });
});
