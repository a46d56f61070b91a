import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeConfig } from './sanitize.js';

describe('sanitize', () => {
  it.each([
    ['<p>Hi <strong>there</strong></p>', '<p>Hi <strong>there</strong></p>'],
    ['<p onclick="steal()">x</p>', '<p>x</p>'],
    ['<script>steal()</script><p>x</p>', '<p>x</p>'],
    ['<a href="javascript:steal()">x</a>', '<a rel="noopener noreferrer">x</a>'],
    [
      '<a href="https://shop.example/sale" target="_blank">x</a>',
      '<a href="https://shop.example/sale" target="_blank" rel="noopener noreferrer">x</a>',
    ],
    ['<img src="http://cdn.example/a.png">', '<img />'],
    ['<img src="https://cdn.example/a.png" onerror="steal()">', '<img src="https://cdn.example/a.png" />'],
    ['<div style="position:fixed" class="promo">x</div>', '<div class="promo">x</div>'],
    ['<iframe src="https://evil.example"></iframe><form><input></form>', ''],
    ['<svg><script>steal()</script></svg>', ''],
  ])('%s → %s', (input, output) => {
    expect(sanitize(input)).toBe(output);
  });
});

describe('sanitizeConfig', () => {
  it('cleans every html variant and leaves the rest alone', () => {
    const config = {
      version: 1,
      updatedAt: '2024-01-01T00:00:00.000Z',
      blocks: { hero: { default: { title: '<b>kept as text</b>' }, loyal: { html: '<p onmouseover="x()">Hi</p>' } } },
    };
    expect(sanitizeConfig(config).blocks).toEqual({
      hero: { default: { title: '<b>kept as text</b>' }, loyal: { html: '<p>Hi</p>' } },
    });
  });
});
