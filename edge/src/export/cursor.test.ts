import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('export cursor', () => {
  const id = '0f9e8d7c-6b5a-4e3f-8c2b-1a0e9d8c7b6a';

  it('round-trips an anonymous id in URL-safe characters', () => {
    const cursor = encodeCursor(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(id);
  });

  it('starts from the beginning without a cursor', () => {
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor('')).toBeNull();
  });

  it.each(['%%%', btoa('{"after":"x"}'), btoa('[]'), encodeCursor(id).slice(0, 10)])(
    '400 invalid_cursor for %j',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_cursor' }));
    },
  );
});
