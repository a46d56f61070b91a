import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { transformSync } from 'esbuild';
import type { PageType } from '../sdk/src/contract/index.js';
import { CATEGORIES, productById } from './catalog.js';
import { cartPage, categoryPage, checkoutPage, homePage, layout, productPage } from './pages.js';

/** The placeholder edge URL in the built snippet (sdk/dist/snippet.html), which README shows and every storefront edits. */
export const SNIPPET_EDGE_PLACEHOLDER = 'https://edge.example.com/';

const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

export interface Storefront {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the demo shop on 127.0.0.1 with the Shoal snippet pointing at `edgeUrl`.
 * @example const shop = await startStorefront({ edgeUrl: 'http://127.0.0.1:8787/', port: 8080 });
 */
export async function startStorefront({ edgeUrl, port = 0 }: { edgeUrl: string; port?: number }): Promise<Storefront> {
  const snippet = read('../sdk/dist/snippet.html').replace(SNIPPET_EDGE_PLACEHOLDER, edgeUrl);
  const shopJs = transformSync(read('./shop.ts'), { loader: 'ts', target: 'es2020', format: 'iife' }).code;
  const css = read('./site.css');

  // The dashboard (served by the edge) frames the shop for its live preview; nobody else may frame it.
  const framing = `frame-ancestors 'self' ${new URL(edgeUrl).origin}`;
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      'content-security-policy': framing,
    });
    res.end(body);
  };
  const page = (res: ServerResponse, title: string, body: string, data: object, type: PageType) =>
    send(res, 200, 'text/html', layout(title, body, snippet, data, type));

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const [, section, slug] = path.split('/');
    const product = section === 'product' && slug ? productById(slug) : undefined;
    // The home page lists every record, so it is a listing to Shoal.
    if (path === '/') return page(res, 'Home', homePage(), { page: 'home' }, 'listing');
    if (path === '/shop.js') return send(res, 200, 'text/javascript', shopJs);
    if (path === '/shop.css') return send(res, 200, 'text/css', css);
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (path === '/cart') return page(res, 'Cart', cartPage(), { page: 'cart' }, 'cart');
    if (path === '/checkout') return page(res, 'Checkout', checkoutPage(), { page: 'checkout' }, 'checkout');
    if (section === 'category' && CATEGORIES.includes(slug as never))
      return page(res, slug!, categoryPage(slug!), { page: 'category' }, 'listing');
    if (product) {
      const { id: productId, category, price, name } = product;
      return page(
        res,
        product.name,
        productPage(product),
        { page: 'product', product: { productId, category, price, name } },
        'product',
      );
    }
    send(res, 404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
