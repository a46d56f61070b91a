import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, FEATURE_SPEC } from '../contract/feature-spec.js';
import { SyncPayloadSchema } from '../contract/sync.js';
import type { ShoalEvent } from '../contract/events.js';
import { applyEvent, emptyAggregates } from '../features/index.js';
import { emptyInterest, foldInterest } from '../recs/interest.js';
import { buildPayload } from './payload.js';

describe('sync payload', () => {
  const events: ShoalEvent[] = [
    { type: 'search', ts: 500, query: 'secret search words' },
    {
      type: 'purchase',
      ts: 1_000,
      orderId: 'order-secret-77',
      total: 42,
      currency: 'USD',
      items: [{ productId: 'sku-9', category: 'jazz', price: 42, quantity: 1 }],
    },
  ];
  const agg = events.reduce(applyEvent, emptyAggregates());
  const interest = events.reduce(foldInterest, emptyInterest());
  const ids = { anonymousId: crypto.randomUUID(), batchId: crypto.randomUUID() };
  const score = { model: 'm-1', segment: 'champions', valueTier: 'high', churn: 0.25, spend: 120.5 };
  const payload = buildPayload(agg, interest, 2_000, ids, score);

  it('satisfies the shared schema and carries the feature spec', () => {
    expect(v.safeParse(SyncPayloadSchema, payload).success).toBe(true);
    expect(payload.specHash).toBe(FEATURE_SPEC.hash);
    expect(payload.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('orders snapshots by the events folded in, not by the clock', () => {
    expect(payload).toMatchObject({ payloadVersion: 2, seq: 2 });
    const later = buildPayload(applyEvent(agg, { type: 'page_view', ts: 1 }), interest, 0, ids, score);
    expect(later.seq).toBe(3);
    expect(later.sentAt).toBeLessThan(payload.sentAt);
  });

  it("carries the model's outputs and the product interest as weighted counts", () => {
    expect(payload).toMatchObject({
      modelVersion: 'm-1',
      segment: 'champions',
      valueTier: 'high',
      churnRisk: 0.25,
      predictedSpend: 120.5,
    });
    expect(payload.products).toEqual([{ id: 'sku-9', score: 5 }]);
  });

  it('leaves out outputs this page has not computed', () => {
    const p = buildPayload(agg, emptyInterest(), 2_000, ids, { ...score, churn: null, spend: null });
    expect(p).not.toHaveProperty('churnRisk');
    expect(p).not.toHaveProperty('predictedSpend');
    expect(p).not.toHaveProperty('products');
    expect(v.safeParse(SyncPayloadSchema, p).success).toBe(true);
  });

  it('leaves out a prediction that is NaN or infinite, so the sync stays valid', () => {
    const p = buildPayload(agg, interest, 2_000, ids, { ...score, churn: Number.NaN, spend: Number.POSITIVE_INFINITY });
    expect(p).not.toHaveProperty('churnRisk');
    expect(p).not.toHaveProperty('predictedSpend');
    expect(p).toMatchObject({ modelVersion: 'm-1', segment: 'champions' });
    expect(v.safeParse(SyncPayloadSchema, p).success).toBe(true);
  });

  it('carries no raw event data: no order ids, categories, search text, event types or times', () => {
    const { products, ...rest } = payload;
    const text = JSON.stringify(rest);
    for (const raw of ['order-secret-77', 'sku-9', 'jazz', 'secret search', 'purchase', '"ts"'])
      expect(text).not.toContain(raw);
    expect(JSON.stringify(products)).not.toMatch(/order|jazz|secret|ts/);
  });
});
