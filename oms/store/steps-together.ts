import type { Kysely } from "kysely";
import type { IntentRecord } from "../domain/record";
import { dialectOf } from "./db";
import { appendResolved, type Committed, type ResolvedStep, runSteps, type TransitionStep } from "./intents-repo";
import type { Database } from "./schema";
import { appendManyStatement } from "./signing-turn";

/**
 * Several intents' steps in ONE transaction, intent after intent (a signer's lane signing for several intents at
 * once: one commit, and the nonce row locked once). Any intent's stale guard or failed write rolls back all of
 * them: the caller decides whether to write them one by one instead.
 */
export function commitStepsTogether(
  db: Kysely<Database>,
  parts: readonly { current: IntentRecord; steps: readonly TransitionStep[] }[],
): Promise<Committed[]> {
  return db.transaction().execute(async (trx) => {
    // Every intent's writes first, then the appends: the first append takes the positions counter's lock, held
    // to the commit (positions.ts), so nothing else (a signature, a nonce) may run after it.
    const resolved: { current: IntentRecord; steps: ResolvedStep[] }[] = [];
    for (const part of parts) resolved.push({ current: part.current, steps: await runSteps(trx, part.steps) });
    if (dialectOf<Database>(trx) === "postgres" && resolved.length > 1) return appendManyStatement(trx, resolved);
    const committed: Committed[] = [];
    for (const part of resolved) committed.push(await appendResolved(trx, part.current, part.steps));
    return committed;
  });
}
