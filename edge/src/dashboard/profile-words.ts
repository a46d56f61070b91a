import type { SegmentProfile } from '../stats/profiles.js';

/**
 * An amount in the shop's currency as a merchandiser reads it: whole units from 10 up, cents below.
 *
 * @example
 * money(1234.5); // '$1,235'
 */
export const money = (n: number) =>
  n === 0
    ? '$0'
    : `$${n.toLocaleString('en-US', { minimumFractionDigits: n < 10 ? 2 : 0, maximumFractionDigits: n < 10 ? 2 : 0 })}`;
const count = (n: number, one: string, many: string) => {
  const rounded = Math.round(n * 10) / 10;
  return `${rounded.toLocaleString('en-US')} ${rounded === 1 ? one : many}`;
};
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * How a merchandiser reads a churn probability: the bands commercial consoles use, not a decimal.
 *
 * @example
 * churnLevel(0.72); // 'high'
 */
export function churnLevel(risk: number): 'low' | 'moderate' | 'high' {
  return risk < 0.3 ? 'low' : risk < 0.6 ? 'moderate' : 'high';
}

/**
 * A segment's live profile in plain words: what its shoppers typically did, what the model predicts for
 * them, and how they split across value tiers. `horizonDays` is the model's prediction horizon, if known.
 *
 * @example
 * profileWords(profile, 90).typical; // 'Typically 3 orders and $84 spent, last order 12 days ago.'
 */
export function profileWords(
  p: SegmentProfile,
  horizonDays: number | null,
): { typical: string; predicted: string; tiers: string | null } {
  const t = p.typical;
  const last =
    t.recencyDays === null
      ? 'nobody has ordered yet'
      : `last order ${count(Math.round(t.recencyDays), 'day', 'days')} ago`;
  const buyers = t.recencyDays !== null && t.buyers < 1 ? ` (${percent(t.buyers)} have ordered)` : '';
  const typical = `Typically ${count(t.orders, 'order', 'orders')} and ${money(t.spend)} spent, ${last}${buyers}.`;
  const over = horizonDays === null ? '' : ` over the next ${horizonDays} days`;
  const { spend, churnRisk, shoppers } = p.predicted;
  const parts = [
    spend === null ? null : `predicted to spend ${money(spend)} each${over}`,
    churnRisk === null ? null : `churn risk ${percent(churnRisk)} (${churnLevel(churnRisk)})`,
  ].filter(Boolean);
  const predicted =
    shoppers === 0
      ? 'No predictions synced yet: browsers send them once the model has scored their shopper.'
      : `${shoppers < p.shoppers ? `Across the ${count(shoppers, 'shopper', 'shoppers')} with predictions` : 'On average'}: ${parts.join('; ')}.`;
  const tierTotal = Object.values(p.tiers).reduce((a, b) => a + b, 0);
  const tiers =
    tierTotal === 0
      ? null
      : `Value tiers: ${Object.entries(p.tiers)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([name, n]) => `${name} ${percent(n / tierTotal)}`)
          .join(', ')}.`;
  return { typical, predicted, tiers };
}
