import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// README tells storefronts what to paste; the build emits it (npm run build) and the demo serves it. They
// must never drift apart.
describe('script-tag snippet', () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

  it('in README is exactly the built sdk/dist/snippet.html', () => {
    expect(read('../README.md')).toContain(read('../sdk/dist/snippet.html').trim());
  });

  it('stays under 1 KB gzipped', () => {
    expect(gzipSync(read('../sdk/dist/snippet.html'), { level: 9 }).byteLength).toBeLessThan(1024);
  });
});
