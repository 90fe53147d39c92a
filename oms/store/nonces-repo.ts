import { type Kysely, sql } from "kysely";
import type { Tx } from "./intents-repo";
import type { Database } from "./schema";

/**
 * Makes sure the signer has a counter that is at least the chain's pending count (a key used
 * before this database existed). Never lowers it: nonces we signed but have not broadcast yet are
 * not in the chain's count.
 */
export async function ensureSignerNonce(
  db: Kysely<Database>,
  chainId: number,
  signer: string,
  chainPendingCount: number,
  at: Date,
): Promise<void> {
  await db
    .insertInto("signer_nonces")
    .values({
      chain_id: chainId,
      signer: signer.toLowerCase(),
      next_nonce: chainPendingCount,
      updated_at: at.toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(["chain_id", "signer"]).doUpdateSet({
        next_nonce: sql<number>`case when signer_nonces.next_nonce > excluded.next_nonce then signer_nonces.next_nonce else excluded.next_nonce end`,
      }),
    )
    .execute();
}

/**
 * Takes the next nonce inside the caller's transaction. The UPDATE's row lock serialises concurrent
 * allocations, and if the transaction rolls back (lost a race, signing failed) the nonce is handed
 * out again: no gaps, no reuse.
 */
export async function allocateNonce(trx: Tx, chainId: number, signer: string, at: Date): Promise<number> {
  const row = await trx
    .updateTable("signer_nonces")
    .set({ next_nonce: sql<number>`next_nonce + 1`, updated_at: at.toISOString() })
    .where("chain_id", "=", chainId)
    .where("signer", "=", signer.toLowerCase())
    .returning("next_nonce")
    .executeTakeFirst();
  if (row === undefined) throw new Error(`no nonce counter for ${signer}; call ensureSignerNonce first`);
  return row.next_nonce - 1;
}

/** The signer's next nonce as stored (null: no counter yet): what a signing lane predicts its next turn from. */
export async function readNextNonce(db: Kysely<Database>, chainId: number, signer: string): Promise<number | null> {
  const row = await db
    .selectFrom("signer_nonces")
    .select("next_nonce")
    .where("chain_id", "=", chainId)
    .where("signer", "=", signer.toLowerCase())
    .executeTakeFirst();
  return row === undefined ? null : row.next_nonce;
}
