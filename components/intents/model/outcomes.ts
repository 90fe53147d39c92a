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
