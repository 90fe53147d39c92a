/** One counter per key per fixed window. */
export interface WindowCount {
  count: number;
  /** Milliseconds until the window (and the count) resets. */
  resetInMs: number;
}

export interface CounterStore {
  increment(key: string, cost: number, windowMs: number): Promise<WindowCount>;
}

/**
 * Fixed-window counters in a Map bounded to `maxKeys`. When full, expired windows are dropped first, then
 * the least recently started one: a flood of distinct keys can reset an old counter early, never grow
 * memory. (Per-IP keys are only distinct when TRUST_PROXY lets clients be told apart, see client-ip.ts.)
 */
export function createMemoryStore(options: { maxKeys?: number; now?: () => number } = {}): CounterStore {
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();

  // Map order is window-start order, so the expired windows are at the front (exactly so per limiter, whose
  // windows share one length): stop at the first live one rather than walking a full map on every insert.
  const makeRoom = (current: number): void => {
    for (const [key, window] of windows) {
      if (window.resetAt > current) break;
      windows.delete(key);
    }
    while (windows.size >= maxKeys) {
      const oldest = windows.keys().next().value;
      if (oldest === undefined) break;
      windows.delete(oldest);
    }
  };

  return {
    async increment(key, cost, windowMs) {
      const current = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= current) {
        windows.delete(key);
        if (windows.size >= maxKeys) makeRoom(current);
        window = { count: 0, resetAt: current + windowMs };
        windows.set(key, window);
      }
      window.count += cost;
      return { count: window.count, resetInMs: window.resetAt - current };
    },
  };
}
