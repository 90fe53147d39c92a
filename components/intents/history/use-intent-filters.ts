"use client";

import { debounce, parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { useMemo } from "react";
import { APPROVAL_STATUSES, INTENT_ACTIONS, INTENT_STATES } from "@/lib/defix/states";
import { type IntentFilters, normalizeFilters, TIME_RANGES } from "@/lib/query/intent-filters";

/** URL keys match the OMS list query, so `/intents?vault_id=…&state=FAILED` reads like the API. */
const parsers = {
  vault_id: parseAsString,
  state: parseAsArrayOf(parseAsStringLiteral(INTENT_STATES)),
  action: parseAsStringLiteral(INTENT_ACTIONS),
  strategy_id: parseAsString,
  approval_status: parseAsStringLiteral(APPROVAL_STATUSES),
  range: parseAsStringLiteral(TIME_RANGES),
  from: parseAsString,
  to: parseAsString,
  q: parseAsString,
};

export type FilterPatch = Partial<{ [K in keyof typeof parsers]: IntentFilters[K] | null }>;

/** The history's filters live in the URL only: reload keeps them, and a copied link shares them. */
export function useIntentFilters() {
  const [values, setValues] = useQueryStates(parsers, { history: "replace" });
  const filters = useMemo(() => normalizeFilters(values), [values]);
  const setFilters = (patch: FilterPatch, options?: { isTyping?: boolean }) =>
    setValues(
      {
        ...patch,
        state: patch.state === undefined ? undefined : patch.state && patch.state.length > 0 ? [...patch.state] : null,
      },
      options?.isTyping ? { limitUrlUpdates: debounce(300) } : undefined,
    );
  const clear = () =>
    setValues({
      vault_id: null,
      state: null,
      action: null,
      strategy_id: null,
      approval_status: null,
      range: null,
      from: null,
      to: null,
      q: null,
    });
  return { filters, setFilters, clear };
}
