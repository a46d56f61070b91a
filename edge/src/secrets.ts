import type { Env } from './env.js';
import { EdgeError } from './errors.js';

/**
 * Server secrets and the keyed hashes made with them. A keyed hash (HMAC) of a public value cannot be
 * recomputed, or reversed by trying candidates, by anyone who lacks the secret: what a plain hash of an id,
 * whose salt is public, cannot promise.
 */

/** The secrets the worker needs: `ID_PEPPER` keys stored identifiers, `SESSION_SECRET` dashboard sessions. */
export type SecretName = 'ID_PEPPER' | 'SESSION_SECRET';

/** 32 characters of a random string carry well over 128 bits; shorter is a typo or a placeholder. */
export const MIN_SECRET_LENGTH = 32;

/**
 * The configured secret, or 503 `secret_missing` when it is unset or too short: the routes that need it are
 * off rather than running with a guessable key (as with publish tokens, a forgotten secret never opens
 * anything). The message names the secret, never its value.
 *
 * @example
 * const pepper = requireSecret(c.env, 'ID_PEPPER');
 */
export function requireSecret(env: Pick<Env, SecretName>, name: SecretName): string {
  const value = env[name] ?? '';
  if (value.length < MIN_SECRET_LENGTH)
    throw new EdgeError(
      503,
      'secret_missing',
      `${name} is not set (or shorter than ${MIN_SECRET_LENGTH} characters): see edge/README, "Secrets and vars"`,
    );
  return value;
}

const encoder = new TextEncoder();
// Importing a key costs more than the HMAC itself; a worker sees a handful of secrets, so keep them all.
const imported = new Map<string, Promise<CryptoKey>>();

function importKey(raw: string | Uint8Array): Promise<CryptoKey> {
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  const load = () => crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  if (typeof raw !== 'string') return load();
  let key = imported.get(raw);
  if (!key) {
    key = load();
    imported.set(raw, key);
  }
  return key;
}

/**
 * HMAC-SHA-256 of `message` under `key` (a secret string, or key bytes derived from one).
 *
 * @example
 * hex(await hmac(pepper, 'user:' + userIdHash)); // 64 hex characters
 */
export async function hmac(key: string | Uint8Array, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await importKey(key), encoder.encode(message)));
}

/**
 * Lowercase hex of some bytes.
 *
 * @example
 * hex(new Uint8Array([1, 255])); // '01ff'
 */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Unpadded base64url of some bytes: the shortest form that is safe in a cookie or a URL.
 *
 * @example
 * base64url(new Uint8Array([251, 255])); // '-_8'
 */
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
