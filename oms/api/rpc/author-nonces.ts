import type { Kysely } from "kysely";
import { rpcInstanceSalt } from "../../../lib/defix/rpc-typed-data";
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
  /**
   * The EIP-712 domain salt that binds signatures to this nonce store: from `OMS_INSTANCE_ID` when set
   * (e.g. a restored copy of a database must not accept the original's signatures), else the id the
   * database was created with, shared by every process on it.
   */
  salt(): Promise<`0x${string}`>;
}

interface RpcInstanceTable {
  singleton: number;
  instance_id: string;
  created_at: string;
}

export function createAuthorNonces(db: Kysely<Database>, options: { instanceId?: string } = {}): AuthorNonces {
  const nonces = db.withTables<{ rpc_author_nonces: RpcAuthorNoncesTable; rpc_instance: RpcInstanceTable }>();
  let salt: Promise<`0x${string}`> | undefined;
  const readSalt = async () => {
    if (options.instanceId !== undefined) return rpcInstanceSalt(options.instanceId);
    const row = await nonces.selectFrom("rpc_instance").select("instance_id").executeTakeFirstOrThrow();
    return rpcInstanceSalt(row.instance_id);
  };
  return {
    salt() {
      // Read once: the id never changes while the process runs. A failed read is retried next time.
      salt ??= readSalt().catch((error: unknown) => {
        salt = undefined;
        throw error;
      });
      return salt;
    },
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
export function createMemoryAuthorNonces(instanceId = "memory"): AuthorNonces {
  const used = new Set<string>();
  return {
    salt: async () => rpcInstanceSalt(instanceId),
    async consume(author, nonce) {
      const key = `${author.toLowerCase()}:${nonce}`;
      if (used.has(key)) return false;
      used.add(key);
      return true;
    },
    async recordIntent() {},
  };
}
