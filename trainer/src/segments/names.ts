/**
 * Names the calibrated segments and, given a previous model directory, carries its names over to the
 * segments that continue its segments (Hungarian on centroids in raw feature units, re-standardised with the
 * new statistics), reporting stability as the adjusted Rand index on today's customers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FEATURE_NAMES } from '../../../sdk/src/contract/index.js';
import { type Normalisation, normalise } from '../../../sdk/src/features/index.js';
import { adjustedRand } from '../math/index.js';
import { type Segmentation, nearest } from './kmeans.js';
import { matchSegments } from './match.js';
import { type NamedSegment, nameSegments, profileOf } from './naming.js';

export interface StoredSegments {
  featureNames: string[];
  /** Centroids in raw feature units (the clustering's prior column dropped). */
  centroids: number[][];
  names: string[];
}

/** What naming needs of a calibration: the centroids, the normalisation they live in, and the customers at the cutoff. */
export interface Segmented {
  segmentation: Pick<Segmentation, 'centroids'>;
  norm: Normalisation;
  atCutoff: { x: readonly number[][] };
}

export interface NamedSegments {
  segments: NamedSegment[];
  stored: StoredSegments;
  ari: number | null;
}

/**
 * @example const { segments, ari } = await nameAndMatch(cal, 'models/default');
 */
export async function nameAndMatch(cal: Segmented, previousDir?: string): Promise<NamedSegments> {
  const d = FEATURE_NAMES.length;
  const { mean, std } = cal.norm;
  const toRaw = (c: readonly number[]) => c.slice(0, d).map((z, j) => mean[j]! + std[j]! * z);
  const rawCentroids = cal.segmentation.centroids.map(toRaw);
  const typical = profileOf(new Array<number>(d).fill(0), cal.norm);
  let segments = nameSegments(
    cal.segmentation.centroids.map((c) => profileOf(c, cal.norm)),
    typical,
  );
  let ari: number | null = null;
  if (previousDir) {
    const prev = JSON.parse(await readFile(join(previousDir, 'segments.json'), 'utf8')) as StoredSegments;
    if (prev.featureNames.join() !== FEATURE_NAMES.join())
      throw new Error(`${previousDir}/segments.json was built for another feature spec`);
    const std1 = (raw: readonly number[]) => normalise(raw, cal.norm);
    const match = matchSegments(rawCentroids.map(std1), prev.centroids.map(std1));
    const taken = new Set(match.flatMap((m) => (m === null ? [] : [prev.names[m]!])));
    segments = segments.map((s, i) => {
      const m = match[i];
      if (m !== null && m !== undefined) return { ...s, name: prev.names[m]! };
      return taken.has(s.name) ? { ...s, name: `${s.name}_new` } : s;
    });
    // Stability: which previous segment each of today's customers would have been in, against the new one.
    const own = cal.atCutoff.x.map((r) => nearest(std1(r), rawCentroids.map(std1)).index);
    const before = cal.atCutoff.x.map((r) => nearest(std1(r), prev.centroids.map(std1)).index);
    ari = adjustedRand(own, before);
  }
  return {
    segments,
    stored: { featureNames: [...FEATURE_NAMES], centroids: rawCentroids, names: segments.map((s) => s.name) },
    ari,
  };
}
