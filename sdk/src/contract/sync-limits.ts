/**
 * The sync payload's constants, in a module of their own, free of the schema library, so the SDK core can use
 * them without bundling the sync schema.
 */

/** Most products a sync payload names: enough for "popular with shoppers like you", too few to be a history. */
export const MAX_SYNC_PRODUCTS = 16;

/** Highest weighted count one product interest may carry in a payload; the SDK caps what it sends to it. */
export const MAX_INTEREST_SCORE = 1e6;

/** Highest predicted spend a payload may report; a model that forecasts more is refused on publish. */
export const MAX_PREDICTED_SPEND = 1e9;

/** The sync payload's version; the edge also accepts the one before (no version field, no `seq`). */
export const SYNC_PAYLOAD_VERSION = 2;
