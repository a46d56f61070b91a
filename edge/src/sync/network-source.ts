/**
 * Where a sync comes from, coarsely: a keyed hash of the client's /24 (IPv4) or /48 (IPv6) network, so one
 * client minting anonymous ids cannot pass for many shoppers, without the edge keeping an address. Stored
 * beside the profile and the batch for at most {@link SOURCE_KEEP_DAYS} days (the retention sweep clears it),
 * never exported, never shown.
 *
 * Development rule: under `wrangler dev` a request without `CF-Connecting-IP` arrives from a loopback address
 * (127.0.0.0/8, ::1), which Cloudflare never reports for a real client. Loopback has no network to tell, so
 * such a sync gets no source (NULL), and NULL counts as a source of its own everywhere sources are counted:
 * the demo and tests behave as if every shopper came from a different network. Tests of the source rules
 * set `CF-Connecting-IP` themselves.
 */

/** Days a network source is kept; the hourly sweep clears older ones. */
export const SOURCE_KEEP_DAYS = 7;

const KEY_NAME = 'network-source';

function ipv4Prefix(ip: string): string | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return `${parts.slice(0, 3).map(Number).join('.')}.0/24`;
}

function ipv6Groups(ip: string): number[] | null {
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const [head, tail = null] = halves.map(parse) as [string[], string[] | undefined];
  const fill = tail === null ? 0 : 8 - head.length - tail.length;
  const groups = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...(tail ?? [])];
  if (groups.length !== 8 || (tail === null && head.length !== 8)) return null;
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * The network a client address belongs to (`a.b.c.0/24`, or the first three IPv6 groups `/48`), `loopback`
 * for 127.0.0.0/8 and ::1, or null for something that is not an address.
 *
 * @example networkPrefix('203.0.113.7') // '203.0.113.0/24'
 * @example networkPrefix('2001:db8:abcd:12::1') // '2001:db8:abcd::/48'
 */
export function networkPrefix(ip: string): string | null {
  const v4 = ipv4Prefix(ip);
  if (v4) return v4.startsWith('127.') ? 'loopback' : v4;
  // An IPv4 client reached over IPv6 (::ffff:a.b.c.d) is still that IPv4 network.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return networkPrefix(mapped[1]!);
  const groups = ipv6Groups(ip);
  if (!groups) return null;
  if (groups.every((g, i) => g === (i === 7 ? 1 : 0))) return 'loopback';
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::/48`;
}

// The key is made once per database and kept in it (never exported): every isolate then hashes alike.
const keys = new WeakMap<D1Database, Promise<CryptoKey>>();

async function loadKey(db: D1Database): Promise<CryptoKey> {
  const fresh = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const [, read] = await db.batch<{ key: string }>([
    db
      .prepare('INSERT INTO edge_keys (name, key, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING')
      .bind(KEY_NAME, fresh, Date.now()),
    db.prepare('SELECT key FROM edge_keys WHERE name = ?').bind(KEY_NAME),
  ]);
  const hex = read!.results[0]!.key;
  const bytes = new Uint8Array(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function keyFor(db: D1Database): Promise<CryptoKey> {
  let key = keys.get(db);
  if (!key) {
    key = loadKey(db);
    // A failed read must not stick: the next sync tries again.
    void key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

/**
 * The network source of a client address: a keyed hash of its network (32 hex characters), or null for
 * loopback (see the development rule above). A missing or unreadable address is one shared source.
 *
 * @example
 * const source = await networkSource(env.DB, c.req.header('CF-Connecting-IP'));
 */
export async function networkSource(db: D1Database, ip: string | undefined): Promise<string | null> {
  const prefix = (ip && networkPrefix(ip.trim())) || 'unknown';
  if (prefix === 'loopback') return null;
  const mac = await crypto.subtle.sign('HMAC', await keyFor(db), new TextEncoder().encode(prefix));
  return [...new Uint8Array(mac).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
