import sanitizeHtml from 'sanitize-html';
import * as v from 'valibot';
import { BlockConfigSchema } from '../../../sdk/src/contract/index.js';
import type { BlockConfig } from '../../../sdk/src/contract/index.js';
import type { Env } from '../env.js';
import { EdgeError } from '../errors.js';
import { describeIssue } from '../middleware/body.js';

/** Where block images may come from: the shop's own hosts and those `IMAGE_HOSTS` lists. */
export interface BlockPolicy {
  imageHosts: ReadonlySet<string>;
}

const hostOf = (raw: string): string | null => {
  const text = raw.trim();
  if (text === '' || text === '*') return null;
  try {
    return new URL(text.includes('://') ? text : `https://${text}`).host;
  } catch {
    return null;
  }
};

/**
 * The policy for this deployment: image hosts from `STOREFRONT_URL`, `ALLOWED_ORIGINS` and `IMAGE_HOSTS`
 * (comma-separated host names, e.g. `cdn.shop.example`). Relative image paths are always the shop's.
 *
 * @example blockPolicy({ ALLOWED_ORIGINS: 'https://shop.example', IMAGE_HOSTS: 'cdn.example' }).imageHosts
 */
export function blockPolicy(env: Pick<Env, 'STOREFRONT_URL' | 'ALLOWED_ORIGINS' | 'IMAGE_HOSTS'>): BlockPolicy {
  const raw = [env.STOREFRONT_URL, env.ALLOWED_ORIGINS, env.IMAGE_HOSTS].flatMap((s) => (s ?? '').split(','));
  return { imageHosts: new Set(raw.map(hostOf).filter((h): h is string => h !== null)) };
}

/** A path on the page's own origin: `/a.png`, `img/a.png`, never `//host` or a scheme. */
const isRelative = (url: string) => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//') && !url.startsWith('\\');

/**
 * Whether an image may be shown: relative (the shop's own), or https from an allowed host. Anything else
 * could be a third party's tracking pixel, counting the shop's shoppers.
 */
export function imageAllowed(src: string, policy: BlockPolicy): boolean {
  const url = src.trim();
  if (url === '') return false;
  if (isRelative(url)) return true;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && policy.imageHosts.has(parsed.host);
  } catch {
    return false;
  }
}

/**
 * What merchandiser HTML may contain: text structure, https or relative links, images from the shop's hosts.
 * No scripts, styles, forms, frames or event handlers, and no `class` or `style` either: a block must not
 * borrow the shop's CSS to overlay or hide the page, so a leaked dashboard token cannot deface it.
 */
const policyFor = (policy: BlockPolicy): sanitizeHtml.IOptions => ({
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'small',
    'span',
    'div',
    'h2',
    'h3',
    'h4',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'figure',
    'figcaption',
    'blockquote',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
  },
  allowedSchemes: ['https'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image from elsewhere goes altogether (its alt text too): a broken image would still be a request.
  exclusiveFilter: (frame) => frame.tag === 'img' && !imageAllowed(frame.attribs.src ?? '', policy),
  // A link that opens a new tab must not hand the storefront's window to the target page.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
});

/**
 * One fragment through the allowlist.
 *
 * @example
 * sanitize('<p onclick="x()">Hi<script>x()</script></p>', policy); // '<p>Hi</p>'
 */
export function sanitize(html: string, policy: BlockPolicy): string {
  return sanitizeHtml(html, policyFor(policy));
}

/** Keys that JSON.parse keeps as own properties but a record schema silently skips, saving nothing. */
const UNSAFE_KEYS = ['__proto__', 'constructor', 'prototype'];

function unsafeKey(config: unknown): string | null {
  const blocks = (config as { blocks?: unknown } | null)?.blocks;
  if (typeof blocks !== 'object' || blocks === null) return null;
  for (const [block, variants] of Object.entries(blocks)) {
    if (UNSAFE_KEYS.includes(block)) return `blocks.${block}`;
    if (typeof variants !== 'object' || variants === null) continue;
    const segment = Object.keys(variants).find((k) => UNSAFE_KEYS.includes(k));
    if (segment) return `blocks.${block}.${segment}`;
  }
  return null;
}

/**
 * The one gate every saved block configuration passes (API save, API revert, dashboard save and revert):
 * the contract schema, no `__proto__`-like keys, image and link URLs this deployment allows, and every
 * variant's `html` sanitised. Throws 422 `invalid_config` naming the first problem.
 *
 * @example
 * const stored = checkedConfig(await c.req.json(), blockPolicy(c.env));
 */
export function checkedConfig(raw: unknown, policy: BlockPolicy): BlockConfig {
  const unsafe = unsafeKey(raw);
  if (unsafe) throw new EdgeError(422, 'invalid_config', `${unsafe}: not a block or segment name`);
  const parsed = v.safeParse(BlockConfigSchema, raw);
  if (!parsed.success) throw new EdgeError(422, 'invalid_config', describeIssue(parsed.issues[0]));
  const blocks = Object.fromEntries(
    Object.entries(parsed.output.blocks).map(([block, variants]) => [
      block,
      Object.fromEntries(
        Object.entries(variants).map(([segment, variant]) => {
          const at = `blocks.${block}.${segment}`;
          if (variant.imageUrl !== undefined && !imageAllowed(variant.imageUrl, policy))
            throw new EdgeError(
              422,
              'invalid_config',
              `${at}.imageUrl: images must be https from the shop or IMAGE_HOSTS`,
            );
          if (variant.link !== undefined && !variant.link.startsWith('https://'))
            throw new EdgeError(422, 'invalid_config', `${at}.link: links must be https`);
          return [segment, variant.html === undefined ? variant : { ...variant, html: sanitize(variant.html, policy) }];
        }),
      ),
    ]),
  );
  return { ...parsed.output, blocks };
}
