import type { Kysely } from "kysely";
import { Plan } from "../../lib/defix";
import type { Database } from "./schema";

/**
 * The plans of `vaultId`'s intents that are EXECUTING (signed and committed before their broadcast), except
 * `exceptId`: what they will spend is not yet in the on-chain budget state (issue 20's in-flight reservation).
 */
export async function executingPlans(db: Kysely<Database>, vaultId: string, exceptId: string): Promise<Plan[]> {
  const rows = await db
    .selectFrom("intents")
    .select(["plan"])
    .where("vault_id", "=", vaultId)
    .where("state", "=", "EXECUTING")
    .where("id", "!=", exceptId)
    .execute();
  return rows.flatMap((row) => (row.plan === null ? [] : [Plan.parse(JSON.parse(row.plan))]));
}
