import type { BlockConfig } from '../contract/blocks.js';
import { renderVariant } from './config.js';

/**
 * Personalised blocks. A block's ordinary children are its default content, so a page without JavaScript
 * (or with Shoal blocked) still shows something sensible; variants sit beside them in templates:
 *
 *   <section data-shoal-block="hero">
 *     <h2>Discover new music</h2>
 *     <template data-shoal-segment="champions"><h2>Thanks for being a regular</h2></template>
 *   </section>
 *
 * The merchandisers' configuration from the edge wins over the page's own templates, so they can steer a
 * live block without a deploy. The snippet hides blocks (anti-flicker) until `markReady` runs or times out.
 */
export const DEFAULT_VARIANT = 'default';
export const READY_CLASS = 'shoal-ready';

function ensureDefaultTemplate(block: Element): void {
  if (block.querySelector(`:scope > template[data-shoal-segment="${DEFAULT_VARIANT}"]`)) return;
  const template = block.ownerDocument.createElement('template');
  template.setAttribute('data-shoal-segment', DEFAULT_VARIANT);
  for (const child of [...block.childNodes]) {
    if (!(child instanceof HTMLTemplateElement)) template.content.appendChild(child);
  }
  block.appendChild(template);
}

/** The content for one block: configured variant for the segment, page template, configured default, page default. */
function pick(
  block: Element,
  segment: string | null,
  config: BlockConfig | null,
): { key: string; variant: string; content: () => Node } {
  const id = block.getAttribute('data-shoal-block') ?? '';
  const configured = config?.blocks[id];
  const template = (name: string) =>
    block.querySelector<HTMLTemplateElement>(`:scope > template[data-shoal-segment="${CSS.escape(name)}"]`);
  const fromConfig = (name: string) =>
    configured?.[name] && {
      key: `config:${config!.version}:${name}`,
      variant: name,
      content: () => renderVariant(block.ownerDocument, configured[name]!),
    };
  const fromPage = (name: string) => {
    const t = template(name);
    return t && { key: `page:${name}`, variant: name, content: () => t.content.cloneNode(true) };
  };
  return (
    (segment !== null ? fromConfig(segment) || fromPage(segment) : null) ||
    fromConfig(DEFAULT_VARIANT) ||
    fromPage(DEFAULT_VARIANT)!
  );
}

/**
 * Renders, in every block under `root`, the variant for `segment` (or the default) and returns how many
 * blocks changed. Re-running with another segment or configuration switches variants in place.
 */
export function applyBlocks(root: ParentNode, segment: string | null, config: BlockConfig | null = null): number {
  let changed = 0;
  for (const block of root.querySelectorAll('[data-shoal-block]')) {
    ensureDefaultTemplate(block);
    const chosen = pick(block, segment, config);
    if (block.getAttribute('data-shoal-key') === chosen.key) continue;
    for (const child of [...block.childNodes]) if (!(child instanceof HTMLTemplateElement)) child.remove();
    block.insertBefore(chosen.content(), block.firstChild);
    // The block records which variant it shows, for styling and for tests.
    block.setAttribute('data-shoal-variant', chosen.variant);
    block.setAttribute('data-shoal-key', chosen.key);
    changed++;
  }
  return changed;
}

/** Lifts the snippet's anti-flicker hiding. */
export function markReady(doc: Document): void {
  doc.documentElement.classList.add(READY_CLASS);
}
