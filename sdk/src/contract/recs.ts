/**
 * "Popular with shoppers like you", as the edge serves it (`GET /v1/recommendations`): per segment, the
 * products the most shoppers of that segment were interested in, plus the same over everyone as a fallback.
 * The whole table comes in one response, so the browser never tells the edge which segment it is in.
 * Only products that at least `minShoppers` distinct shoppers share appear: no list reveals one shopper.
 */
export interface Recommendations {
  generatedAt: string;
  minShoppers: number;
  everyone: string[];
  segments: Record<string, string[]>;
}

/** Products per list: the most a recommendations block shows. */
export const MAX_RECOMMENDATIONS = 12;
