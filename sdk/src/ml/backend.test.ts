import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend, forgetChoice, msPerCall, rememberChoice, rememberedChoice, type Exclusive } from './backend.js';
import { memoryStorage } from '../test-utils.js';

const choice = {
  backend: 'wasm' as const,
  reason: 'measured wasm 0.100 ms/row, cpu 0.200 ms/row; chose wasm (fastest)',
  timings: { wasm: 0.1, cpu: 0.2 },
};

describe('remembered backend choice', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('navigator', { userAgent: 'Chromium/1' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is reused for the same backend order, model version and browser', () => {
    rememberChoice(['wasm', 'cpu'], 'm1', choice);
    expect(rememberedChoice(['wasm', 'cpu'], 'm1')).toEqual(choice);
  });

  it('is measured again for another model, another browser or another order', () => {
    rememberChoice(['wasm', 'cpu'], 'm1', choice);
    expect(rememberedChoice(['wasm', 'cpu'], 'm2')).toBeNull();
    expect(rememberedChoice(['cpu', 'wasm'], 'm1')).toBeNull();
    vi.stubGlobal('navigator', { userAgent: 'Chromium/2' });
    expect(rememberedChoice(['wasm', 'cpu'], 'm1')).toBeNull();
  });

  it('expires after a week and can be forgotten', () => {
    const now = Date.now();
    rememberChoice(['wasm', 'cpu'], 'm1', choice);
    vi.spyOn(Date, 'now').mockReturnValue(now + 8 * 86_400_000);
    expect(rememberedChoice(['wasm', 'cpu'], 'm1')).toBeNull();
    vi.restoreAllMocks();
    forgetChoice();
    expect(rememberedChoice(['wasm', 'cpu'], 'm1')).toBeNull();
  });
});

describe('msPerCall', () => {
  it('times calls shorter than the clock resolution by repeating them', async () => {
    let calls = 0;
    const ms = await msPerCall(async () => void calls++);
    expect(calls).toBeGreaterThan(5);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(1);
  });
});

describe('chooseBackend', () => {
  // tfjs suggests tfjs-node once per process; the browser build never runs here.
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  it('measures inside the exclusive section, restores the backend in force, and says why', async () => {
    await tf.setBackend('cpu');
    let sections = 0;
    const exclusive: Exclusive = (fn) => {
      sections++;
      return fn();
    };
    const c = await chooseBackend({ order: ['cpu'], measure: async () => 0.25, exclusive, restore: 'cpu' });
    expect(c).toEqual({
      backend: 'cpu',
      timings: { cpu: 0.25 },
      reason: 'measured cpu 0.250 ms/row; chose cpu (fastest)',
    });
    expect(sections).toBe(1);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails with every reason when no backend works', async () => {
    const exclusive: Exclusive = (fn) => fn();
    await expect(
      chooseBackend({
        order: ['cpu'],
        measure: async () => {
          throw new Error('boom');
        },
        exclusive,
        restore: 'cpu',
      }),
    ).rejects.toThrow(/cpu failed: boom/);
  });
});
