import * as v from 'valibot';

/**
 * Merchandisers' block configuration: for each block on the storefront, what each segment sees. The
 * dashboard writes it, the edge validates and sanitises it (HTML) and serves it with an ETag, the SDK renders
 * it in `data-shoal-block` elements, falling back to the page's inline templates and default content.
 */
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const httpUrl = v.pipe(v.string(), v.maxLength(2048), v.url(), v.regex(/^https?:\/\//));

export const BLOCK_ID = /^[a-z][a-z0-9_-]{0,63}$/;
/** `default` is the variant for shoppers with no segment, or a segment without its own variant. */
export const SEGMENT_KEY = /^[a-z][a-z0-9_-]{0,31}$/;

export const VariantSchema = v.strictObject({
  title: v.optional(text(200)),
  text: v.optional(text(2000)),
  imageUrl: v.optional(httpUrl),
  link: v.optional(httpUrl),
  products: v.optional(v.pipe(v.array(text(128)), v.maxLength(24))),
  /** Sanitised by the edge before it is stored; the SDK never renders unsanitised merchandiser HTML. */
  html: v.optional(text(20_000)),
});

export const BlockConfigSchema = v.strictObject({
  version: v.pipe(v.number(), v.integer(), v.minValue(0)),
  updatedAt: v.pipe(v.string(), v.isoTimestamp()),
  blocks: v.record(
    v.pipe(v.string(), v.regex(BLOCK_ID)),
    v.record(v.pipe(v.string(), v.regex(SEGMENT_KEY)), VariantSchema),
  ),
});

export type Variant = v.InferOutput<typeof VariantSchema>;
export type BlockConfig = v.InferOutput<typeof BlockConfigSchema>;
