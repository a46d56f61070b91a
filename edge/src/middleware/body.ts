import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { GenericSchema } from 'valibot';
import { getDotPath } from 'valibot';
import { vValidator } from '@hono/valibot-validator';
import type { AppEnv } from '../env.js';
import { EdgeError } from '../errors.js';

/**
 * Rejects bodies over `maxBytes` with 413 `payload_too_large`, whether or not the client sent a length.
 *
 * @example
 * app.post('/v1/sync', limitBody(64 * 1024), handler);
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new EdgeError(413, 'payload_too_large', `Body exceeds ${maxBytes} bytes`);
    },
  });
}

/**
 * Requires a JSON body and parses it once (Hono caches the parse for the validator after it), so a
 * wrong media type is 415 and a syntax error is 400 `malformed_json` before any schema check runs.
 *
 * @example
 * app.post('/v1/sync', jsonBody(), validJson(SyncPayloadSchema), handler);
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new EdgeError(415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    try {
      await c.req.json();
    } catch {
      throw new EdgeError(400, 'malformed_json', 'Body is not valid JSON');
    }
    await next();
  };
}

/**
 * Names the first failing field, e.g. `features.3: Invalid type`, so a client can fix its payload.
 *
 * @example
 * describeIssue(result.issues[0]); // 'batchId: Invalid UUID: Received "x"'
 */
export function describeIssue(issue: Parameters<typeof getDotPath>[0]): string {
  return `${getDotPath(issue) ?? '(body)'}: ${issue.message}`;
}

/**
 * Validates the JSON body against a valibot schema; a failure is 422 with `code` (default `invalid_payload`).
 *
 * @example
 * app.post('/v1/sync', jsonBody(), validJson(SyncPayloadSchema), (c) => c.json(c.req.valid('json')));
 */
export function validJson<S extends GenericSchema>(schema: S, code = 'invalid_payload') {
  return vValidator('json', schema, (result) => {
    if (!result.success) throw new EdgeError(422, code, describeIssue(result.issues[0]));
  });
}
