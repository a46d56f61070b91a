import * as v from 'valibot';
import { EdgeError } from '../errors.js';

/**
 * Export cursors are opaque to clients (so the ordering key can change without breaking them) but are just
 * the last anonymous id sent, base64url-encoded: keyset pagination on the primary key stays fast at any
 * depth and never skips or repeats a row that existed for the whole export.
 */
const CursorSchema = v.strictObject({ after: v.pipe(v.string(), v.uuid()) });

/**
 * @example
 * encodeCursor('0f9e8d7c-6b5a-4e3f-8c2b-1a0e9d8c7b6a'); // 'eyJhZnRlciI6…'
 */
export function encodeCursor(after: string): string {
  return btoa(JSON.stringify({ after })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The anonymous id to continue after; undefined or empty means from the start. Anything not made by
 * {@link encodeCursor} is 400 `invalid_cursor`.
 *
 * @example
 * decodeCursor(encodeCursor(id)); // id
 */
export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const json = atob(cursor.replace(/-/g, '+').replace(/_/g, '/')) as string;
    return v.parse(CursorSchema, JSON.parse(json)).after;
  } catch {
    throw new EdgeError(400, 'invalid_cursor', 'cursor must be a value from a previous Shoal-Next-Cursor header');
  }
}
