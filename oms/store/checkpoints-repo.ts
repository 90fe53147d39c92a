import type { Kysely } from "kysely";
import type { AuditCheckpoint } from "../../lib/defix/audit";
import { type IntentHead, sortHeads } from "../../lib/defix/audit-merkle";
import type { Database } from "./schema";

/** Reads and writes of the per-vault checkpoints (core/checkpoints.ts). */

const toCheckpoint = (row: Database["vault_checkpoints"]): AuditCheckpoint => ({
  ...row,
  seq: Number(row.seq),
  position: Number(row.position),
  intents: Number(row.intents),
});

export async function latestCheckpoint(db: Kysely<Database>, vaultId: string): Promise<AuditCheckpoint | null> {
  const row = await db
    .selectFrom("vault_checkpoints")
    .selectAll()
    .where("vault_id", "=", vaultId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : toCheckpoint(row);
}

/** Written once per (vault, seq): a second writer (a lost lease) fails on the primary key. */
export async function insertCheckpoint(db: Kysely<Database>, checkpoint: AuditCheckpoint): Promise<void> {
  await db.insertInto("vault_checkpoints").values(checkpoint).execute();
}

/** The vaults with an event in (after, upTo]. */
export async function vaultsChangedBetween(db: Kysely<Database>, after: number, upTo: number): Promise<string[]> {
  const rows = await db
    .selectFrom("intent_events")
    .innerJoin("intents", "intents.id", "intent_events.intent_id")
    .select("intents.vault_id")
    .distinct()
    .where("intent_events.position", ">", after)
    .where("intent_events.position", "<=", upTo)
    .execute();
  return rows.map((row) => row.vault_id).sort();
}

/** Every intent's head of the vault as of `position` (its last event at or before it), sorted by intent id. */
export async function vaultHeadsAt(db: Kysely<Database>, vaultId: string, position: number): Promise<IntentHead[]> {
  const rows = await db
    .selectFrom("intent_events as e")
    .innerJoin("intents as i", "i.id", "e.intent_id")
    .select(["e.intent_id", "e.seq_num", "e.hash"])
    .where("i.vault_id", "=", vaultId)
    .where("e.position", "<=", position)
    .where("e.seq_num", "=", (eb) =>
      eb
        .selectFrom("intent_events as l")
        .select((inner) => inner.fn.max("l.seq_num").as("last"))
        .whereRef("l.intent_id", "=", "e.intent_id")
        .where("l.position", "<=", position),
    )
    .execute();
  return sortHeads(
    rows.map((row) => ({ intent_id: row.intent_id, seq_num: Number(row.seq_num), hash: row.hash ?? "" })),
  );
}
