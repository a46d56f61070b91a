import { describe, expect, it } from 'vitest';
import { ACCEPTED_SPECS, FEATURE_SPEC, SYNC_PAYLOAD_VERSION } from '../../../sdk/src/contract/index.js';
import { dropUnknownNames, MAX_CLOCK_AHEAD_MS, readSync } from './intake.js';

const now = Date.UTC(2026, 0, 1);
const previous = ACCEPTED_SPECS[1]!;
const body = (over: Record<string, unknown> = {}) => ({
  payloadVersion: SYNC_PAYLOAD_VERSION,
  seq: 7,
  batchId: '7b0e3c1e-1d2a-4c3b-9f4e-5a6b7c8d9e0f',
  anonymousId: '0e5c7a8b-2d4f-4a6b-8c9d-1e2f3a4b5c6d',
  specVersion: FEATURE_SPEC.version,
  specHash: FEATURE_SPEC.hash,
  features: FEATURE_SPEC.names.map(() => 0.5),
  counts: { events: 7, orders: 1, productViews: 3, addToCarts: 1, sessions: 2 },
  segment: 'loyal',
  sentAt: now,
  ...over,
});
const refusal = (over: Record<string, unknown>) => {
  try {
    readSync(body(over), now);
  } catch (e) {
    const err = e as { status: number; code: string; message: string };
    return `${err.status} ${err.code}: ${err.message}`;
  }
  return 'accepted';
};

describe('readSync', () => {
  it('takes the current version with its sequence number', () => {
    expect(readSync(body(), now)).toEqual({
      sync: expect.objectContaining({ seq: 7, segment: 'loyal', sentAt: now }),
      dropped: [],
    });
  });

  it('takes the previous payload version (no payloadVersion, no seq) and the previous feature spec', () => {
    const {
      payloadVersion: _,
      seq: __,
      ...v1
    } = body({
      specVersion: previous.version,
      specHash: previous.hash,
      features: previous.names.map(() => 0.5),
    });
    expect(readSync(v1, now).sync).toMatchObject({ seq: null, specHash: previous.hash });
  });

  it.each([
    [{ payloadVersion: 3 }, /^422 invalid_payload: payloadVersion: 3 is not a version/],
    [{ seq: -1 }, /^422 invalid_payload: seq: /],
    [{ features: FEATURE_SPEC.names.map(() => 1.7e308) }, /^422 invalid_payload: features.0: 1.7e\+308 is outside/],
    [{ features: FEATURE_SPEC.names.map((_, i) => (i === 9 ? 1.5 : 0)) }, /features.9: 1.5 is outside .*cart_rate/],
    [{ sentAt: 1e300 }, /^422 invalid_payload: sentAt: /],
    [{ sentAt: now + MAX_CLOCK_AHEAD_MS + 1 }, /sentAt: .* more than a day ahead/],
    [
      {
        products: [
          { id: 'p', score: 1 },
          { id: 'p', score: 2 },
        ],
      },
      /^422 invalid_payload: products: Product ids must not repeat/,
    ],
    [{ specHash: '00000000' }, /^409 spec_mismatch: Expected spec v2 .* or v1 /],
    [{ specVersion: previous.version, specHash: previous.hash }, /^409 spec_mismatch/],
  ])('refuses %j', (over, message) => {
    expect(refusal(over)).toMatch(message);
  });

  it('accepts a clock up to a day ahead', () => {
    expect(refusal({ sentAt: now + MAX_CLOCK_AHEAD_MS })).toBe('accepted');
  });

  it('drops optional fields it cannot accept and keeps the rest', () => {
    const { sync, dropped } = readSync(
      body({
        churnRisk: 1.5,
        predictedSpend: 2e9,
        valueTier: 'x'.repeat(33),
        products: Array.from({ length: 17 }, (_, i) => ({ id: `p${i}`, score: 1 })),
        modelVersion: 'm-1',
      }),
      now,
    );
    expect(dropped.sort()).toEqual(['churnRisk', 'predictedSpend', 'products', 'valueTier']);
    expect(sync).toMatchObject({ segment: 'loyal', modelVersion: 'm-1' });
    for (const f of dropped) expect(sync).not.toHaveProperty(f);
  });
});

describe('dropUnknownNames', () => {
  const names = { segments: new Set(['loyal']), tiers: new Set(['high']) };
  it.each([
    [{ segment: 'loyal', valueTier: 'high' }, []],
    [{ segment: 'prospects' }, []],
    [{ segment: 'made-up', valueTier: 'constructor' }, ['segment', 'valueTier']],
  ])('%j drops %j', (over, dropped) => {
    expect(dropUnknownNames(readSync(body(over), now), names).dropped).toEqual(dropped);
  });
});
