import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/stack.js';

/** Byte budgets of what every storefront page loads (gzip -9), checked against the build `npm test` makes. */
const dist = join(ROOT, 'sdk/dist');
const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).byteLength;
const ml = (prefix: string) =>
  readdirSync(join(dist, 'browser/ml'))
    .filter((f) => f.startsWith(prefix))
    .map((f) => join(dist, 'browser/ml', f));

describe('bundle budgets', () => {
  it('keeps the inline snippet under 1 KB', () => expect(gz(join(dist, 'snippet.html'))).toBeLessThanOrEqual(1024));
  // The ceiling every issue shares (the core was 12.3 KB gz before the hardening and intent work).
  it('keeps the SDK core under 14 KB', () => expect(gz(join(dist, 'browser/shoal.js'))).toBeLessThanOrEqual(14 * 1024));
  it('keeps the default (WASM/CPU) ML path to one file under 60 KB', () => {
    const [main, ...more] = ml('shoal-ml-main-');
    expect(main).toBeDefined();
    expect(more).toHaveLength(0);
    // One request: a static import would be another hop in the module waterfall before the first score.
    expect(readFileSync(main!, 'utf8')).not.toMatch(/\bfrom\s*["']/);
    expect(gz(main!)).toBeLessThanOrEqual(60 * 1024);
  });
  it('has the core import the ML entry by its hashed (immutably cached) name', () => {
    const [main] = ml('shoal-ml-main-');
    expect(main).toBeDefined();
    const name = main!.split('/').pop()!;
    expect(readFileSync(join(dist, 'browser/shoal.js'), 'utf8')).toContain(`ml/${name}`);
    expect(readFileSync(join(dist, 'browser/_headers'), 'utf8')).toMatch(
      /\/ml\/shoal-ml-\*\n\s+Cache-Control: public, max-age=31536000, immutable/,
    );
  });
  it('ships the GPU backends as chunks of their own', () => {
    expect(ml('shoal-ml-webgpu-')).toHaveLength(1);
    expect(ml('shoal-ml-webgl-')).toHaveLength(1);
  });
});
