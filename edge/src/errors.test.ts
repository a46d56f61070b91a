import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it, vi } from 'vitest';
import { app } from './app.js';
import { EdgeError, errorResponse } from './errors.js';

function throwing(err: Error) {
  return new Hono()
    .get('/', () => {
      throw err;
    })
    .onError(errorResponse);
}

describe('errorResponse', () => {
  it('turns an EdgeError into its status and { error: { code, message } }', async () => {
    const res = await throwing(new EdgeError(409, 'spec_mismatch', 'nope')).request('/');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'spec_mismatch', message: 'nope' } });
  });

  it("gives Hono's own HTTPExceptions a code from their status", async () => {
    const res = await throwing(new HTTPException(413, { message: 'too big' })).request('/');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'too big' } });
  });

  it('hides anything else behind a 500 without a stack trace', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await throwing(new Error('secret detail at /srv/x.ts:1')).request('/');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Internal error' } });
    expect(text).not.toContain('secret');
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.request('/v2/nothing', {}, {});
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route' } });
  });
});
