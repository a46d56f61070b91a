import { describe, expect, it } from 'vitest';
import { allowedOrigin } from './cors.js';

describe('allowedOrigin', () => {
  it.each([
    ['https://a.example', 'https://a.example, https://b.example', 'https://a.example'],
    ['https://b.example', 'https://a.example,https://b.example', 'https://b.example'],
    ['https://evil.example', 'https://a.example', null],
    ['https://a.example', '', null],
    ['https://a.example', undefined, null],
    ['', 'https://a.example', null],
    ['https://any.example', '*', '*'],
  ])('%j against %j → %j', (origin, list, want) => {
    expect(allowedOrigin(origin, list)).toBe(want);
  });
});
