import type { Kysely } from "kysely";
import type { Database } from "../../store/schema";

export interface RpcAuthorNoncesTable {
  author: string;
  nonce: string;
  intent_id: string | null;
  created_at: string;
}

/** Replay protection for signed JSON-RPC intents: each (author, nonce) is accepted once, ever. */
export interface AuthorNonces {
  /** true when this call claimed the nonce; false when it was used before. */
  consume(author: string, nonce: number): Promise<boolean>;
  recordIntent(author: string, nonce: number, intentId: string): Promise<void>;
}

export function createAuthorNonces(db: Kysely<Database>): AuthorNonces {
  const nonces = db.withTables<{ rpc_author_nonces: RpcAuthorNoncesTable }>();
  return {
    async consume(author, nonce) {
      const result = await nonces
        .insertInto("rpc_author_nonces")
        .values({
          author: author.toLowerCase(),
          nonce: String(nonce),
          intent_id: null,
          created_at: new Date().toISOString(),
        })
        .onConflict((conflict) => conflict.columns(["author", "nonce"]).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async recordIntent(author, nonce, intentId) {
      await nonces
        .updateTable("rpc_author_nonces")
        .set({ intent_id: intentId })
        .where("author", "=", author.toLowerCase())
        .where("nonce", "=", String(nonce))
        .execute();
    },
  };
}

/** For unit tests and single-process use without a database. */
export function createMemoryAuthorNonces(): AuthorNonces {
  const used = new Set<string>();
  return {
    async consume(author, nonce) {
      const key = `${author.toLowerCase()}:${nonce}`;
      if (used.has(key)) return false;
      used.add(key);
      return true;
    },
    async recordIntent() {},
  };
}
