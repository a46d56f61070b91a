import { hex } from './secrets.js';

/**
 * Lowercase hex SHA-256 of some bytes (Web Crypto, as workerd provides it).
 *
 * @example
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf…'
 */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}
