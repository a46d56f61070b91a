import { describe, expect, it } from 'vitest';
import { networkPrefix } from './network-source.js';

describe('networkPrefix', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24'],
    ['203.0.113.250', '203.0.113.0/24'],
    ['198.51.100.1', '198.51.100.0/24'],
    ['::ffff:203.0.113.9', '203.0.113.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:0db8:abcd:ffff:1:2:3:4', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['999.1.1.1', null],
    ['not an address', null],
    ['1:2:3:4:5:6:7:8:9', null],
  ])('%s → %s', (ip, prefix) => {
    expect(networkPrefix(ip)).toBe(prefix);
  });
});
