import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SPEC } from '../contract/feature-spec.js';
import { SyncPayloadSchema } from '../contract/sync.js';
import { applyEvent, emptyAggregates } from '../features/index.js';
import { buildPayload } from './payload.js';

describe('sync payload', () => {
  const agg = applyEvent(emptyAggregates(), {
    type: 'purchase', ts: 1_000, orderId: 'order-secret-77', total: 42, currency: 'USD',
    items: [{ productId: 'sku-secret-9', category: 'jazz', price: 42, quantity: 1 }],
  });
  const payload = buildPayload(agg, 2_000, { anonymousId: crypto.randomUUID(), batchId: crypto.randomUUID() });

  it('satisfies the shared schema and carries the feature spec', () => {
    expect(v.safeParse(SyncPayloadSchema, payload).success).toBe(true);
    expect(payload.specHash).toBe(FEATURE_SPEC.hash);
    expect(payload.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('carries no raw event data', () => {
    const text = JSON.stringify(payload);
    for (const raw of ['order-secret-77', 'sku-secret-9', 'jazz', 'purchase']) expect(text).not.toContain(raw);
  });
});
