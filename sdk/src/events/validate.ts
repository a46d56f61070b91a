import * as v from 'valibot';
import { EventSchema, type EventType, type ShoalEvent } from '../contract/events.js';

export type Validated = { ok: true; event: ShoalEvent } | { ok: false; reason: string };

/**
 * Turns a `track(name, props)` call into a typed event stamped with `now`, or says precisely why not.
 * @example toEvent('add_to_cart', { productId: 'p1', category: 'shoes', price: 40, quantity: 1 }, Date.now())
 */
export function toEvent(name: unknown, props: unknown, now: number): Validated {
  if (typeof name !== 'string') return { ok: false, reason: 'event name must be a string' };
  if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) {
    return { ok: false, reason: `${name}: props must be an object` };
  }
  const result = v.safeParse(EventSchema, { ...(props as object), type: name as EventType, ts: now });
  if (result.success) return { ok: true, event: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? 'type';
  return { ok: false, reason: `${name}: ${path === 'type' ? 'unknown event' : `invalid ${path}`} (${issue.message})` };
}
