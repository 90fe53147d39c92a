import type { Intent, IntentState } from "@/lib/defix/intents";
import { isTerminalState } from "@/lib/defix/states";

/**
 * What a screen reader user should hear when the live history changes: intents that were seen in
 * flight and have now reached a final state. New rows and in-flight moves are not news (they would be
 * announced every tick); an intent first seen already final was not watched finishing.
 */
export function finishedSince(
  previous: ReadonlyMap<string, IntentState>,
  intents: readonly Pick<Intent, "id" | "state">[],
): Pick<Intent, "id" | "state">[] {
  return intents.filter((intent) => {
    const before = previous.get(intent.id);
    return before !== undefined && !isTerminalState(before) && isTerminalState(intent.state);
  });
}

/** The most intents `remember` keeps (the oldest go first): a long session's memory stays small. */
export const REMEMBERED_INTENTS = 5_000;

/**
 * Takes the states of `intents` into `seen`, keeping those of rows the list no longer holds (a refetch, a filter, a
 * page that moved): an intent watched in flight that comes back final is still news.
 */
export function remember(
  seen: Map<string, IntentState>,
  intents: readonly Pick<Intent, "id" | "state">[],
  limit = REMEMBERED_INTENTS,
): void {
  for (const intent of intents) seen.set(intent.id, intent.state);
  for (const id of seen.keys()) {
    if (seen.size <= limit) break;
    seen.delete(id);
  }
}

/** One sentence: the intent by its short id when alone, counts per outcome otherwise. */
export function describeFinished(finished: readonly Pick<Intent, "id" | "state">[]): string | null {
  const [only] = finished;
  if (!only) return null;
  if (finished.length === 1) return `Intent ${only.id.slice(0, 8)} ${only.state.toLowerCase()}.`;
  const counts = new Map<string, number>();
  for (const intent of finished) counts.set(intent.state, (counts.get(intent.state) ?? 0) + 1);
  const parts = [...counts].map(([state, count]) => `${count} ${state.toLowerCase()}`);
  return `${finished.length} intents finished: ${parts.join(", ")}.`;
}
