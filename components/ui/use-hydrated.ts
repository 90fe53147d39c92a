"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False while React hydrates this component (it renders what the server rendered), true in every render
 * after. For data the server never has (a query another component may already have fetched by the time
 * this boundary hydrates): render it only once hydrated, or the first client render differs from the
 * server's HTML (React error 418).
 */
export function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
