import { describe, expect, it } from 'vitest';
import { retentionMs } from './periods.js';

describe('retentionMs', () => {
  it.each([
    ['180', 180 * 86_400_000],
    ['0.5', 43_200_000],
  ])('%j days → %d ms', (days, ms) => {
    expect(retentionMs(days)).toBe(ms);
  });

  // A typo must switch the sweep off, never turn it into "delete everything".
  it.each([undefined, '', ' ', '0', '-1', 'abc', 'Infinity', 'NaN'])('%j disables the sweep', (days) => {
    expect(retentionMs(days)).toBeNull();
  });
});
