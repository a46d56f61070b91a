import sanitizeHtml from 'sanitize-html';
import type { BlockConfig } from '../../../sdk/src/contract/index.js';

/**
 * What merchandiser HTML may contain: text structure, links and images. No scripts, styles, forms, frames,
 * event handlers or inline CSS, so a leaked dashboard token cannot turn a block into a storefront XSS.
 */
const POLICY: sanitizeHtml.IOptions = {
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
    '*': ['class'],
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A link that opens a new tab must not hand the storefront's window to the target page.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

/**
 * One fragment through the allowlist.
 *
 * @example
 * sanitize('<p onclick="x()">Hi<script>x()</script></p>'); // '<p>Hi</p>'
 */
export function sanitize(html: string): string {
  return sanitizeHtml(html, POLICY);
}

/**
 * A copy of the configuration with every variant's `html` sanitised; everything else is already constrained
 * by BlockConfigSchema.
 *
 * @example
 * const stored = sanitizeConfig(config);
 */
export function sanitizeConfig(config: BlockConfig): BlockConfig {
  const blocks = Object.fromEntries(
    Object.entries(config.blocks).map(([block, variants]) => [
      block,
      Object.fromEntries(
        Object.entries(variants).map(([segment, variant]) => [
          segment,
          variant.html === undefined ? variant : { ...variant, html: sanitize(variant.html) },
        ]),
      ),
    ]),
  );
  return { ...config, blocks };
}
