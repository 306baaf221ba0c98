/**
 * The failure value of every allocator in this package, standing in for Nanos's all-ones
 * `INVALID_PHYSICAL`. It is not a valid address (addresses are integers below 2^53), and unlike
 * `undefined` it keeps return types numeric; address 0 is a valid result.
 */
export const INVALID = -1;

/** Largest address or id this package handles: numbers stay exact below 2^53. */
export const MAX_ADDRESS = Number.MAX_SAFE_INTEGER;
