import { queryOptions } from "@tanstack/react-query";
import type { IntentProof } from "@/lib/defix/audit-proof";
import type { FillList, IntentEvent, IntentEventList, TxAttemptList } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import type { Refinement } from "@/lib/defix/refinements";
import { fetchJson, queryString } from "./fetcher";
import { queryKeys } from "./keys";

// One intent's page: the intent, its events, fills, attempts and proof, and what a manager does with it.

const EVENTS_PAGE = 1000;

const intentPath = (id: string) => `/api/oms/intents/${encodeURIComponent(id)}`;

export function intentDetailOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.intents.detail(id),
    queryFn: ({ signal }) => fetchJson<Intent>(intentPath(id), { signal }),
  });
}

/** The whole event log so far (paged by `after_seq` until the OMS has nothing newer). */
export function intentEventsOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.intents.events(id),
    queryFn: ({ signal }) => fetchEventsAfter(id, 0, signal),
  });
}

/** The intent's events after `afterSeq` (paged until the OMS has nothing newer): the initial load and every catch-up. */
export async function fetchEventsAfter(id: string, afterSeq: number, signal?: AbortSignal): Promise<IntentEvent[]> {
  const events: IntentEvent[] = [];
  let after = afterSeq;
  for (;;) {
    const page = await fetchJson<IntentEventList>(
      `${intentPath(id)}/events${queryString({ after_seq: after, limit: EVENTS_PAGE })}`,
      { signal },
    );
    events.push(...page.events);
    const last = page.events.at(-1);
    if (!last || page.events.length < EVENTS_PAGE) return events;
    after = last.seq_num;
  }
}

export function intentFillsOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.intents.fills(id),
    queryFn: async ({ signal }) => (await fetchJson<FillList>(`${intentPath(id)}/fills`, { signal })).fills,
  });
}

/** The signed chain proof; keyed by the head seq the page has, so a new event fetches a proof that holds it. */
export function intentProofOptions(id: string, headSeq: number) {
  return queryOptions({
    queryKey: queryKeys.intents.proof(id, headSeq),
    queryFn: ({ signal }) => fetchJson<IntentProof>(`${intentPath(id)}/proof`, { signal }),
    // Until a periodic checkpoint holds the intent, look again now and then.
    refetchInterval: (query) => (query.state.data && query.state.data.proof.inclusion === null ? 10_000 : false),
  });
}

export function intentAttemptsOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.intents.attempts(id),
    queryFn: async ({ signal }) => (await fetchJson<TxAttemptList>(`${intentPath(id)}/attempts`, { signal })).attempts,
  });
}

// POST /api/oms/intents/[id]/cancel – the OMS answers 409 INTENT_TERMINAL / INTENT_EXECUTING when too late.
export function cancelIntent(id: string): Promise<Intent> {
  return fetchJson<Intent>(`${intentPath(id)}/cancel`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}

// POST /api/oms/intents/[id]/refine – the plan this intent would get at the current head; nothing is sent.
export function refineIntentNow(id: string): Promise<Refinement> {
  return fetchJson<Refinement>(`${intentPath(id)}/refine`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}
