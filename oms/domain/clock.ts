/** Time as the engine sees it; tests step it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
