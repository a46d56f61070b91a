import { MAX_RECOMMENDATIONS, type Recommendations } from '../contract/recs.js';

/**
 * Recommendation blocks: "popular with shoppers like you". The block's own children are its default (e.g.
 * the shop's bestsellers); Shoal replaces the list's items with the segment's popular products, topped up
 * from everyone's when the segment's list is short.
 *
 *   <section data-shoal-recs="4">
 *     <h2>Popular with shoppers like you</h2>
 *     <ul data-shoal-recs-list><li>…bestsellers…</li></ul>
 *     <template data-shoal-product="kind-of-blue"><li>…Kind of Blue card…</li></template>
 *     …one template per product the page can show…
 *   </section>
 *
 * Products render only from cards the shop's own server rendered (inert templates, so unused ones cost no
 * layout): a product id from the edge is never turned into markup or a URL, and a product the shop does not
 * know (or no longer sells) is skipped. The edge's table is public, so a server can render cards for exactly
 * the products it lists.
 */
export function applyRecommendations(root: ParentNode, segment: string | null, recs: Recommendations | null): void {
  if (!recs) return;
  const own = (segment !== null && Object.hasOwn(recs.segments, segment) && recs.segments[segment]) || [];
  for (const block of root.querySelectorAll<HTMLElement>('[data-shoal-recs]')) {
    const limit = Math.min(Math.max(1, Number(block.dataset.shoalRecs) || 4), MAX_RECOMMENDATIONS);
    const cards: [string, HTMLTemplateElement][] = [];
    for (const id of new Set([...own, ...recs.everyone])) {
      const card = block.querySelector<HTMLTemplateElement>(`template[data-shoal-product="${CSS.escape(id)}"]`);
      if (card && cards.push([id, card]) === limit) break;
    }
    const key = cards.map(([id]) => id).join(' ');
    // Nothing to show keeps the default; the same list as last time is left alone (no needless repaint).
    if (cards.length === 0 || block.getAttribute('data-shoal-key') === key) continue;
    const list = block.querySelector('[data-shoal-recs-list]') ?? block;
    for (const child of [...list.childNodes]) if (!(child instanceof HTMLTemplateElement)) child.remove();
    list.append(...cards.map(([, card]) => card.content.cloneNode(true)));
    block.setAttribute('data-shoal-key', key);
    block.setAttribute('data-shoal-recs-source', cards.some(([id]) => own.includes(id)) ? 'segment' : 'everyone');
  }
}
