import { describe, expect, it } from 'vitest';
import { EdgeError } from './errors.js';
import { base64url, hex, hmac, requireSecret } from './secrets.js';

describe('server secrets', () => {
  it('refuses to run with a missing or short secret, naming it but never its value', () => {
    for (const value of [undefined, '', 'short-pepper']) {
      let thrown: unknown;
      try {
        requireSecret({ ID_PEPPER: value }, 'ID_PEPPER');
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(EdgeError);
      expect(thrown).toMatchObject({ status: 503, code: 'secret_missing' });
      expect((thrown as Error).message).toContain('ID_PEPPER');
      if (value) expect((thrown as Error).message).not.toContain(value);
    }
    expect(requireSecret({ SESSION_SECRET: 'x'.repeat(32) }, 'SESSION_SECRET')).toBe('x'.repeat(32));
  });

  it('computes HMAC-SHA-256 as RFC 4231 test case 2 gives it', async () => {
    expect(hex(await hmac('Jefe', 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('writes base64url without padding', () => {
    expect(base64url(new Uint8Array([251, 255]))).toBe('-_8');
    expect(hex(new Uint8Array([1, 255]))).toBe('01ff');
  });
});
