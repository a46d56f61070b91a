/**
 * Personalised blocks. A block's ordinary children are its default content, so a page without JavaScript
 * (or with Shoal blocked) still shows something sensible; variants sit beside them in templates:
 *
 *   <section data-shoal-block="hero">
 *     <h2>Discover new music</h2>
 *     <template data-shoal-segment="champions"><h2>Thanks for being a regular</h2></template>
 *   </section>
 *
 * The snippet hides blocks (anti-flicker) until `markReady` runs or its timeout passes.
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

/**
 * Renders, in every block under `root`, the variant named after `segment` (or the default) and returns how
 * many blocks changed. Re-running with another segment switches variants in place.
 */
export function applyBlocks(root: ParentNode, segment: string | null): number {
  let changed = 0;
  for (const block of root.querySelectorAll('[data-shoal-block]')) {
    ensureDefaultTemplate(block);
    const templates = [...block.querySelectorAll<HTMLTemplateElement>(':scope > template[data-shoal-segment]')];
    const chosen =
      templates.find((t) => segment !== null && t.dataset.shoalSegment === segment) ??
      templates.find((t) => t.dataset.shoalSegment === DEFAULT_VARIANT)!;
    // The block records which variant it shows, for styling and for tests.
    const variant = chosen.dataset.shoalSegment!;
    if (block.getAttribute('data-shoal-variant') === variant) continue;
    for (const child of [...block.childNodes]) if (!(child instanceof HTMLTemplateElement)) child.remove();
    block.insertBefore(chosen.content.cloneNode(true), block.firstChild);
    block.setAttribute('data-shoal-variant', variant);
    changed++;
  }
  return changed;
}

/** Lifts the snippet's anti-flicker hiding. */
export function markReady(doc: Document): void {
  doc.documentElement.classList.add(READY_CLASS);
}
