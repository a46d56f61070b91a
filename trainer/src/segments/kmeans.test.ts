import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { chooseK, kmeans, silhouette } from './kmeans.js';

/** Three tight, far-apart Gaussian blobs of 60 points each (Box–Muller on the seeded PRNG). */
function blobs(seed: number): { rows: number[][]; truth: number[] } {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < 180; i++) {
    const c = i % 3;
    rows.push(centres[c]!.map((x) => x + gauss()));
    truth.push(c);
  }
  return { rows, truth };
}

describe('k-means++', () => {
  const { rows, truth } = blobs(7);

  it('is deterministic for a seed', () => {
    expect(kmeans(rows, 4, { seed: 3 })).toEqual(kmeans(rows, 4, { seed: 3 }));
  });

  it('recovers obvious clusters', () => {
    const { labels } = kmeans(rows, 3, { seed: 1 });
    // Each true blob maps to exactly one cluster, and the three clusters are distinct.
    const mapping = [0, 1, 2].map((c) => new Set(labels.filter((_, i) => truth[i] === c)));
    expect(mapping.map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set(mapping.map((s) => [...s][0])).size).toBe(3);
  });

  it('lets silhouette pick k = 3 for three blobs', () => {
    const seg = chooseK(rows, { seed: 42 });
    expect(seg.k).toBe(3);
    expect(seg.scores.map((s) => s.k)).toEqual([3, 4, 5, 6]);
    expect(seg.silhouette).toBeGreaterThan(0.7);
  });

  it('scores silhouette as in the textbook example', () => {
    expect(silhouette([[0], [0.1], [5], [5.1]], [0, 0, 1, 1])).toBeCloseTo(0.98, 2);
  });
});

describe('chooseK on streamed rows', () => {
  it('labels a row source exactly as it labels the same rows held in memory', () => {
    const { rows } = blobs(9);
    const opts = { seed: 5, ks: [3, 4], sample: 50, fitSample: 90 };
    let produced = 0;
    const source = {
      length: rows.length,
      get: (i: number) => {
        produced++;
        return [...rows[i]!];
      },
    };
    const streamed = chooseK(source, opts);
    expect(streamed).toEqual(chooseK(rows, opts));
    // Fit sample, silhouette sample and one labelling pass: never a copy of every row per k.
    expect(produced).toBe(90 + 50 + rows.length);
  });
});
