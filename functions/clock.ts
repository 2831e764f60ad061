/** Epoch milliseconds. Injected everywhere a rule depends on time, so tests fix it instead of sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
