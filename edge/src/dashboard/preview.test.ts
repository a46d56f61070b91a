import { Hono } from 'hono';
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.js';
import { page } from './layout.js';
import { previewPanel, storefrontOrigin } from './preview.js';

describe('storefrontOrigin', () => {
  it.each([
    [{ STOREFRONT_URL: 'https://shop.example/some/page?x=1' }, 'https://shop.example'],
    [
      { STOREFRONT_URL: 'https://preview.shop.example', ALLOWED_ORIGINS: 'https://shop.example' },
      'https://preview.shop.example',
    ],
    [{ ALLOWED_ORIGINS: '*, https://shop.example ,https://www.shop.example' }, 'https://shop.example'],
    [{ ALLOWED_ORIGINS: 'http://127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
    [{ ALLOWED_ORIGINS: '*' }, null],
    [{}, null],
    // A configured but unusable STOREFRONT_URL is not silently replaced by another origin.
    [{ STOREFRONT_URL: 'javascript:alert(1)', ALLOWED_ORIGINS: 'https://shop.example' }, null],
    [{ STOREFRONT_URL: 'not a url', ALLOWED_ORIGINS: 'https://shop.example' }, null],
  ])('%j → %s', (env, want) => {
    expect(storefrontOrigin(env)).toBe(want);
  });
});

describe('the preview page', () => {
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('publisher', 'alice');
      c.set('csrf', 'x');
      await next();
    })
    .get('/dashboard/blocks', (c) =>
      page(
        c,
        'Blocks',
        previewPanel(c, { segment: c.req.query('s') ?? 'loyal', segments: ['default', 'loyal', 'new'] }),
        { frame: storefrontOrigin(c.env) },
      ),
    )
    .get('/dashboard/models', (c) => page(c, 'Models', html`<p>none</p>`));
  const get = (path: string, env: object) => app.request(path, {}, env);
  const csp = (res: Response) =>
    Object.fromEntries(
      (res.headers.get('Content-Security-Policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v.join(' ')]),
    );

  it('may frame exactly the storefront origin, and shows it as the chosen segment', async () => {
    const res = await get('/dashboard/blocks?s=new', {
      STOREFRONT_URL: 'https://shop.example/',
      ALLOWED_ORIGINS: 'https://other.example',
    });
    expect(csp(res)).toMatchObject({
      'frame-src': 'https://shop.example',
      'frame-ancestors': "'none'",
      'default-src': "'self'",
    });
    const body = await res.text();
    expect(body).toContain('<iframe id="preview-frame" src="https://shop.example/?shoal_segment=new"');
    expect(body).toMatch(/<option value="new" selected>/);
    expect(body).toContain('sandbox="allow-scripts allow-same-origin"');
  });

  it('frames nothing where no preview is shown, or none is configured', async () => {
    expect(csp(await get('/dashboard/models', { STOREFRONT_URL: 'https://shop.example' }))['frame-src']).toBe("'none'");
    const res = await get('/dashboard/blocks', { ALLOWED_ORIGINS: '*' });
    expect(csp(res)['frame-src']).toBe("'none'");
    const body = await res.text();
    expect(body).not.toContain('<iframe');
    expect(body).toContain('STOREFRONT_URL');
  });

  it('escapes a segment name in the frame address', async () => {
    const body = await (
      await get('/dashboard/blocks?s=a%22%3E%3Cscript%3E', { STOREFRONT_URL: 'https://shop.example' })
    ).text();
    expect(body).toContain('src="https://shop.example/?shoal_segment=a%22%3E%3Cscript%3E"');
    expect(body).not.toContain('"><script>');
  });
});
