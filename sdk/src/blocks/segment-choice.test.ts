import { describe, expect, it } from 'vitest';
import { chooseSegment, previewSegment } from './segment-choice.js';

describe('chooseSegment', () => {
  it('takes the most likely segment when there is none yet', () => {
    expect(chooseSegment(null, { loyal: 0.3, champions: 0.7 })).toBe('champions');
  });

  it('keeps the current segment against a lead smaller than the margin', () => {
    expect(chooseSegment('loyal', { loyal: 0.46, champions: 0.54 }, 0.1)).toBe('loyal');
  });

  it('switches once another segment leads by the margin', () => {
    expect(chooseSegment('loyal', { loyal: 0.4, champions: 0.6 }, 0.1)).toBe('champions');
  });

  it('drops a current segment the model no longer has', () => {
    expect(chooseSegment('vanished', { loyal: 0.4, champions: 0.6 })).toBe('champions');
  });
});

describe('previewSegment', () => {
  it('reads the query parameter first, then the cookie', () => {
    expect(previewSegment('?shoal_segment=champions', 'shoal_segment=loyal')).toBe('champions');
    expect(previewSegment('', 'a=1; shoal_segment=loyal')).toBe('loyal');
  });

  it('ignores anything that is not a segment name', () => {
    expect(previewSegment('?shoal_segment=%3Cscript%3E', '')).toBeNull();
    expect(previewSegment('', '')).toBeNull();
  });
});
