/**
 * The storefront's home page as a shopper of `segment` sees it (the SDK's `?shoal_segment=` preview mode).
 * Its own dependency-free file: the page renders it and the dashboard script rebuilds it on a switch.
 *
 * @example
 * previewUrl('https://shop.example', 'loyal'); // 'https://shop.example/?shoal_segment=loyal'
 */
export const previewUrl = (origin: string, segment: string) =>
  `${origin}/?shoal_segment=${encodeURIComponent(segment)}`;
