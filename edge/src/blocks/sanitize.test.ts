import { describe, expect, it } from 'vitest';
import { blockPolicy, checkedConfig, sanitize } from './sanitize.js';

const policy = blockPolicy({ ALLOWED_ORIGINS: 'https://shop.example', IMAGE_HOSTS: 'cdn.example, img.example' });

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
    ['<a href="/sale">x</a>', '<a href="/sale" rel="noopener noreferrer">x</a>'],
    ['<a href="http://shop.example/sale">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['<a href="mailto:a@b.c">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['<a href="//evil.example/x">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['<img src="http://cdn.example/a.png">', ''],
    ['<img src="https://cdn.example/a.png" onerror="steal()">', '<img src="https://cdn.example/a.png" />'],
    ['<img src="https://shop.example/a.png">', '<img src="https://shop.example/a.png" />'],
    ['<img src="/a.png" alt="A">', '<img src="/a.png" alt="A" />'],
    ['<p>x<img src="https://tracker.example/p.gif" width="1"></p>', '<p>x</p>'],
    ['<img src="//tracker.example/p.gif">', ''],
    ['<div style="position:fixed;inset:0" class="promo">x</div>', '<div>x</div>'],
    ['<span class="hidden">x</span>', '<span>x</span>'],
    ['<iframe src="https://evil.example"></iframe><form><input></form>', ''],
    ['<svg><script>steal()</script></svg>', ''],
  ])('%s → %s', (input, output) => {
    expect(sanitize(input, policy)).toBe(output);
  });
});

describe('checkedConfig', () => {
  const config = (blocks: unknown) => ({ version: 1, updatedAt: '2024-01-01T00:00:00.000Z', blocks });

  it('cleans every html variant and leaves the rest alone', () => {
    const checked = checkedConfig(
      config({ hero: { default: { title: '<b>kept as text</b>' }, loyal: { html: '<p onmouseover="x()">Hi</p>' } } }),
      policy,
    );
    expect(checked.blocks).toEqual({
      hero: { default: { title: '<b>kept as text</b>' }, loyal: { html: '<p>Hi</p>' } },
    });
  });

  it.each([
    ['a __proto__ block', '{"hero":{"default":{}},"__proto__":{"default":{"title":"x"}}}', /blocks.__proto__/],
    ['a __proto__ segment', '{"hero":{"__proto__":{"title":"x"}}}', /blocks.hero.__proto__/],
    ['a constructor block', '{"constructor":{"default":{"title":"x"}}}', /blocks.constructor/],
    ['an image from elsewhere', '{"hero":{"default":{"imageUrl":"https://tracker.example/p.gif"}}}', /imageUrl/],
    ['an http link', '{"hero":{"default":{"link":"http://shop.example/"}}}', /link: links must be https/],
  ])('refuses %s with 422 invalid_config', (_, blocks, message) => {
    expect(() => checkedConfig(config(JSON.parse(blocks)), policy)).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_config', message: expect.stringMatching(message) }),
    );
  });

  it('takes images from the shop and IMAGE_HOSTS', () => {
    for (const imageUrl of ['https://shop.example/a.png', 'https://img.example/a.png'])
      expect(checkedConfig(config({ hero: { default: { imageUrl } } }), policy).blocks.hero?.default?.imageUrl).toBe(
        imageUrl,
      );
  });
});
