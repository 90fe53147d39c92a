"use client";

import { useEffect, useState } from "react";

/**
 * `value` once it has stopped changing for `ms` (its first value at once): a query keyed by a value that moves in
 * bursts (an intent's head seq, one step per live event) fetches once per burst instead of once per step, and
 * does not abort its own previous fetch each time.
 */
export function useSettledValue<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}
