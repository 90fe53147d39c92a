import type { Kysely } from "kysely";
import type { ApprovalPolicyVersion } from "../../lib/defix/approvals";
import type { Refinement } from "../../lib/defix/refinements";
import type { IntentRecord } from "../domain/record";
import { rowToPolicyVersion, versionInForce } from "./approval-policies-repo";
import { usedRefinement } from "./refinements-repo";
import type { Database } from "./schema";

/**
 * What an intent was submitted under, for the steps before it is planned: the approval policy version in force when
 * it was received (its gate judges it by that version) and the refinement it was submitted with. Neither changes
 * once the intent exists (a refinement is claimed before its intent is stored; a policy version in force at a past
 * time stays so), so a worker reads them with its claim, for the whole batch, instead of one read per intent per step.
 */
export interface DriveContext {
  policy: ApprovalPolicyVersion | null;
  refinement: Refinement | null;
}

/** States whose next steps read the context (the approval gate when received, the planning of a refinement). */
const BEFORE_PLANNING = new Set(["RECEIVED", "ACKED", "STAGED"]);

/**
 * The context of each claimed intent that is not yet planned (intents past planning need none and get no entry):
 * one statement for the batch, and one more when any policy version is in force.
 */
export async function readDriveContexts(
  db: Kysely<Database>,
  records: readonly IntentRecord[],
): Promise<Map<string, DriveContext>> {
  const ids = records.filter((record) => BEFORE_PLANNING.has(record.state)).map((record) => record.id);
  const contexts = new Map<string, DriveContext>();
  if (ids.length === 0) return contexts;
  const rows = await db
    .selectFrom("intents as i")
    .select((eb) => [
      "i.id",
      "i.vault_id",
      versionInForce(db, eb.ref("i.vault_id"), eb.ref("i.created_at")).as("policy_version"),
      eb.selectFrom("refinements as r").select("r.body").whereRef("r.intent_id", "=", "i.id").limit(1).as("refinement"),
    ])
    .where("i.id", "in", ids)
    .execute();
  const inForce = rows.filter((row) => row.policy_version !== null);
  const versions =
    inForce.length === 0
      ? []
      : await db
          .selectFrom("approval_policies")
          .selectAll()
          .where((eb) =>
            eb.or(
              inForce.map((row) =>
                eb.and([eb("vault_id", "=", row.vault_id), eb("version", "=", Number(row.policy_version))]),
              ),
            ),
          )
          .execute();
  const policyOf = (vaultId: string, version: number | null) => {
    const row = versions.find((candidate) => candidate.vault_id === vaultId && candidate.version === version);
    return row === undefined ? null : rowToPolicyVersion(row);
  };
  for (const row of rows) {
    contexts.set(row.id, {
      policy: row.policy_version === null ? null : policyOf(row.vault_id, Number(row.policy_version)),
      refinement: row.refinement === null ? null : usedRefinement({ body: row.refinement, intent_id: row.id }),
    });
  }
  return contexts;
}
