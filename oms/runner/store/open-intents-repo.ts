import type { Kysely } from "kysely";
import { IntentState } from "../../../lib/defix/intents";
import type { RunnerDatabase } from "./schema";

/** One intent a strategy published that has not ended. */
export interface OpenIntent {
  intentId: string;
  strategyId: string;
  state: IntentState;
  /** Waiting for its approval quorum: it does not hold the strategy's next tick back (up to the bound). */
  isApprovalPending: boolean;
}

/** The runner's view of its strategies' unfinished intents (`runner_open_intents`). */
export class OpenIntentRepository {
  constructor(private readonly db: Kysely<RunnerDatabase>) {}

  /** Every open intent, grouped by strategy, oldest first. */
  async byStrategy(): Promise<Map<string, OpenIntent[]>> {
    const rows = await this.db
      .selectFrom("runner_open_intents")
      .selectAll()
      .orderBy("created_at")
      .orderBy("intent_id")
      .execute();
    const grouped = new Map<string, OpenIntent[]>();
    for (const row of rows) {
      const open: OpenIntent = {
        intentId: row.intent_id,
        strategyId: row.strategy_id,
        state: IntentState.parse(row.state),
        isApprovalPending: Number(row.approval_pending) === 1,
      };
      grouped.set(row.strategy_id, [...(grouped.get(row.strategy_id) ?? []), open]);
    }
    return grouped;
  }

  /** Starts following an intent just published (or records where it stands now). */
  async track(open: OpenIntent): Promise<void> {
    const values = { state: open.state, approval_pending: open.isApprovalPending ? 1 : 0 };
    await this.db
      .insertInto("runner_open_intents")
      .values({
        intent_id: open.intentId,
        strategy_id: open.strategyId,
        ...values,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column("intent_id").doUpdateSet(values))
      .execute();
  }

  /** It ended (or the OMS no longer knows it): nothing more to follow. */
  async forget(intentId: string): Promise<void> {
    await this.db.deleteFrom("runner_open_intents").where("intent_id", "=", intentId).execute();
  }
}
