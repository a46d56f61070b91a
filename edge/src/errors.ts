import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error the edge throws on purpose; `errorResponse` turns it into `{ error: { code, message } }`.
 *
 * @example
 * throw new EdgeError(409, 'spec_mismatch', 'specHash 1234abcd is not the edge spec');
 */
export class EdgeError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Extra response headers the client needs to act on the error, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EdgeError';
  }
}

/** Codes for errors Hono raises itself, so clients can branch on `code` whatever threw. */
const HTTP_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/**
 * The single `app.onError`: known errors keep their status and code; anything else is a 500 whose details
 * go to the log, never into the response.
 *
 * @example
 * app.onError(errorResponse);
 */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof EdgeError) {
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    return c.json({ error: { code: err.code, message: err.message } }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(
      { error: { code: HTTP_CODES[status] ?? 'http_error', message: err.message || 'Request failed' } },
      status,
    );
  }
  console.error('unhandled error', err);
  return c.json({ error: { code: 'internal_error', message: 'Internal error' } }, 500);
}
