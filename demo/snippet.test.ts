import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// README tells storefronts what to paste; the demo serves sdk/snippet.html. They must never drift apart.
describe('script-tag snippet', () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

  it('in README is exactly sdk/snippet.html', () => {
    expect(read('../README.md')).toContain(read('../sdk/snippet.html').trim());
  });

  it('stays small', () => {
    expect(Buffer.byteLength(read('../sdk/snippet.html'))).toBeLessThan(1024);
  });
});
