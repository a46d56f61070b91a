import { MAX_RECOMMENDATIONS, type Recommendations } from '../contract/recs.js';
import { fetchCachedJson, readCachedJson } from '../cached-fetch.js';

/**
 * The edge's "popular with shoppers like you" table (`GET /v1/recommendations`), cached like the block
 * configuration so a repeat visit fills recommendation blocks before any request. The whole table is
 * fetched, never one segment's list: the request says nothing about the shopper.
 */
const KEY = 'shoal:recs';

const isIds = (x: unknown): x is string[] =>
  Array.isArray(x) &&
  x.length <= MAX_RECOMMENDATIONS &&
  x.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 128);

const isRecs = (x: unknown): x is Recommendations =>
  typeof x === 'object' &&
  x !== null &&
  isIds((x as Recommendations).everyone) &&
  typeof (x as Recommendations).segments === 'object' &&
  (x as Recommendations).segments !== null &&
  Object.values((x as Recommendations).segments).every(isIds);

export const cachedRecommendations = (storage: Storage | undefined) => readCachedJson(storage, KEY, isRecs);

/** @example const recs = await fetchRecommendations('https://edge.example/', localStorage); */
export const fetchRecommendations = (edgeUrl: string, storage: Storage | undefined) =>
  fetchCachedJson(edgeUrl, '/v1/recommendations', storage, KEY, isRecs);
