import { type Kysely, sql } from "kysely";
import { GENESIS_HASH, keyActionHash } from "../../lib/defix/audit-chain";
import { dialectOf } from "../store/db";
import type { SessionKeyActionsTable, SessionKeyTables } from "./schema";

/**
 * Session-key history is chained per vault like intents' events (docs/ARCHITECTURE.md, "Audit chain"):
 * `hash = chainLink(vault's previous hash, recordDigest(the row without seq and hash), seq)`, seq 1, 2, … per
 * vault. Appends to one vault serialize on a transaction-scoped advisory lock on PostgreSQL (taken as the
 * transaction's last lock: every caller inserts its action last) and on SQLite's write lock.
 */
export type ChainedAction = Omit<SessionKeyActionsTable, "seq" | "hash">;

export const actionHash = (previous: string, action: ChainedAction, seq: number): string =>
  keyActionHash(previous, action, seq);

/**
 * The audit export's key history (core/audit-export.ts): every row of the vault's chain from the first to
 * the last written in [from, to), contiguous by seq, each with the hash it links to (`prev_hash`).
 */
export async function* auditKeyActions(
  db: Kysely<SessionKeyTables>,
  range: { vaultId: string; from: string; to: string },
): AsyncGenerator<Record<string, unknown>> {
  const bounds = await db
    .selectFrom("session_key_actions")
    .select((eb) => [eb.fn.min("seq").as("first"), eb.fn.max("seq").as("last")])
    .where("vault_id", "=", range.vaultId)
    .where("created_at", ">=", range.from)
    .where("created_at", "<", range.to)
    .executeTakeFirst();
  if (bounds?.first == null || bounds.last == null) return;
  const last = Number(bounds.last);
  let after = Number(bounds.first) - 1;
  const previous = await db
    .selectFrom("session_key_actions")
    .select("hash")
    .where("vault_id", "=", range.vaultId)
    .where("seq", "=", after)
    .executeTakeFirst();
  let prev = previous?.hash ?? GENESIS_HASH;
  while (after < last) {
    const rows = await db
      .selectFrom("session_key_actions")
      .selectAll()
      .where("vault_id", "=", range.vaultId)
      .where("seq", ">", after)
      .where("seq", "<=", last)
      .orderBy("seq")
      .limit(500)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      yield { ...row, prev_hash: prev };
      prev = row.hash ?? "";
      after = row.seq ?? last;
    }
  }
}

/** Inserts `action` at the head of its vault's chain; call inside a transaction (see `appendAction`). */
export async function insertChainedAction(trx: Kysely<SessionKeyTables>, action: ChainedAction): Promise<void> {
  if (dialectOf(trx) === "postgres") {
    await sql`select pg_advisory_xact_lock(hashtext(${`session-key-actions:${action.vault_id}`}))`.execute(trx);
  }
  const head = await trx
    .selectFrom("session_key_actions")
    .select(["seq", "hash"])
    .where("vault_id", "=", action.vault_id)
    .where("seq", "is not", null)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const seq = (head?.seq ?? 0) + 1;
  const hash = actionHash(head?.hash ?? GENESIS_HASH, action, seq);
  await trx
    .insertInto("session_key_actions")
    .values({ ...action, seq, hash })
    .execute();
}
