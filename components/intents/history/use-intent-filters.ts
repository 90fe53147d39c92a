"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { APPROVAL_STATUSES, INTENT_ACTIONS, INTENT_STATES } from "@/lib/defix/states";
import { type IntentFilters, normalizeFilters, TIME_RANGES } from "@/lib/query/intent-filters";

/** URL keys match the OMS list query, so `/intents?vault_id=…&state=FAILED` reads like the API. */
const KEYS = ["vault_id", "state", "action", "strategy_id", "approval_status", "range", "from", "to", "q"] as const;
type Key = (typeof KEYS)[number];
/** How long typing in the search box waits before the URL follows (the filters themselves follow at once). */
const TYPING_DEBOUNCE_MS = 300;

export type FilterPatch = Partial<{ [K in Key]: IntentFilters[K] | null }>;

function literal<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** The filters a URL holds; values that are not in the contract's lists (a hand-edited URL) are dropped. */
export function filtersFromSearch(search: URLSearchParams): IntentFilters {
  const states = (search.get("state") ?? "")
    .split(",")
    .map((state) => literal(INTENT_STATES, state))
    .filter((state) => state !== null);
  return {
    vault_id: search.get("vault_id"),
    state: states.length > 0 ? states : null,
    action: literal(INTENT_ACTIONS, search.get("action")),
    strategy_id: search.get("strategy_id"),
    approval_status: literal(APPROVAL_STATUSES, search.get("approval_status")),
    range: literal(TIME_RANGES, search.get("range")),
    from: search.get("from"),
    to: search.get("to"),
    q: search.get("q"),
  };
}

/** `current` with the filter keys set from `filters` (a state list joined by commas); other keys are kept. */
export function searchWithFilters(current: URLSearchParams, filters: IntentFilters): string {
  const next = new URLSearchParams(current);
  for (const key of KEYS) {
    const value = filters[key];
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    if (text === "") next.delete(key);
    else next.set(key, String(text));
  }
  // Commas and colons stay readable (`state=FAILED,COMPLETED`, `vault_id=31337:0x…`), like a hand-typed URL.
  return next.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
}

/**
 * The history's filters live in the URL only: reload keeps them, a copied link shares them, and
 * back/forward (which change the URL) change them. Updates replace the entry, shallowly (Next keeps
 * `useSearchParams` in step with `history.replaceState`, so nothing is fetched from the server).
 */
export function useIntentFilters() {
  const searchParams = useSearchParams();
  const [values, setValues] = useState<IntentFilters>(() => filtersFromSearch(new URLSearchParams(searchParams)));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setValues(filtersFromSearch(new URLSearchParams(searchParams))), [searchParams]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const filters = useMemo(() => normalizeFilters(values), [values]);

  const write = (next: IntentFilters, isTyping: boolean): void => {
    setValues(next);
    if (timer.current) clearTimeout(timer.current);
    const replace = (): void => {
      timer.current = null;
      const search = searchWithFilters(new URLSearchParams(window.location.search), next);
      window.history.replaceState(null, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
    };
    if (isTyping) timer.current = setTimeout(replace, TYPING_DEBOUNCE_MS);
    else replace();
  };
  const setFilters = (patch: FilterPatch, options?: { isTyping?: boolean }) =>
    write({ ...values, ...patch }, options?.isTyping === true);
  const clear = () => write({}, false);
  return { filters, setFilters, clear };
}
