import type { Kysely } from "kysely";
import type { Database } from "./schema";

export interface MinedTransactionRow {
  tx_hash: string;
  status: "MINED" | "REVERTED";
  gas_used: number | null;
  effective_gas_price: string | null;
  mined_at: string;
  strategy_id: string | null;
  action: string;
}

export interface CostSources {
  mined: MinedTransactionRow[];
  /** Attempts signed in the range that never mined (REPLACED, DROPPED). */
  unmined: { created_at: string; strategy_id: string | null; action: string }[];
  completed: { completed_at: string; strategy_id: string | null; action: string }[];
}

/**
 * The rows cost totals are made of, for one vault and `[from, to)`. Sums happen in the caller with
 * BigInt: wei totals overflow SQLite's 64-bit integers, and both dialects must agree to the wei.
 */
export async function costSources(
  db: Kysely<Database>,
  vaultId: string,
  from: string,
  to: string,
): Promise<CostSources> {
  const mined = await db
    .selectFrom("tx_attempts as a")
    .innerJoin("intents as i", "i.id", "a.intent_id")
    .select([
      "a.tx_hash",
      "a.status",
      "a.gas_used",
      "a.effective_gas_price",
      "a.updated_at",
      "a.mined_at",
      "i.strategy_id",
      "i.action",
    ])
    .where("i.vault_id", "=", vaultId)
    .where("a.status", "in", ["MINED", "REVERTED"])
    // Attempts mined before receipts were recorded have no mined_at: their last update is when the OMS saw the receipt.
    .where((eb) =>
      eb.or([
        eb.and([eb("a.mined_at", ">=", from), eb("a.mined_at", "<", to)]),
        eb.and([eb("a.mined_at", "is", null), eb("a.updated_at", ">=", from), eb("a.updated_at", "<", to)]),
      ]),
    )
    .execute();
  const unmined = await db
    .selectFrom("tx_attempts as a")
    .innerJoin("intents as i", "i.id", "a.intent_id")
    .select(["a.created_at", "i.strategy_id", "i.action"])
    .where("i.vault_id", "=", vaultId)
    .where("a.status", "in", ["REPLACED", "DROPPED"])
    .where("a.created_at", ">=", from)
    .where("a.created_at", "<", to)
    .execute();
  const completed = await db
    .selectFrom("intents")
    .select(["completed_at", "strategy_id", "action"])
    .where("vault_id", "=", vaultId)
    .where("state", "=", "COMPLETED")
    .where("completed_at", ">=", from)
    .where("completed_at", "<", to)
    .execute();
  return {
    mined: mined.map((row) => ({
      tx_hash: row.tx_hash,
      status: row.status === "REVERTED" ? "REVERTED" : "MINED",
      gas_used: row.gas_used,
      effective_gas_price: row.effective_gas_price,
      mined_at: row.mined_at ?? row.updated_at,
      strategy_id: row.strategy_id,
      action: row.action,
    })),
    unmined,
    completed: completed.map((row) => ({ ...row, completed_at: row.completed_at ?? from })),
  };
}
