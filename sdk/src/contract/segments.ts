/**
 * The segment of a shopper who has not bought yet. Models learn from purchase histories, where everyone has
 * bought at least once, so a visitor without an order is outside every model's population: scored anyway,
 * the CDNOW model read one as a "hibernating" customer worth $334. The SDK gives them this segment instead
 * of running the model, blocks can carry a variant for it, and the dashboard counts them apart.
 */
export const PROSPECTS = 'prospects';
