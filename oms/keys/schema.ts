import type { Kysely } from "kysely";

export const SESSION_KEY_STATUSES = ["PENDING_GRANT", "PENDING_ROTATION", "ACTIVE", "RETIRED", "DISCARDED"] as const;
export type SessionKeyStatus = (typeof SESSION_KEY_STATUSES)[number];

/** One key the OMS generated for a vault. `encrypted_key` is AES-256-GCM sealed; plaintext never touches the DB. */
export interface SessionKeysTable {
  id: string;
  vault_id: string;
  address: string;
  status: SessionKeyStatus;
  encrypted_key: string;
  /** The absolute expiry put into the last prepared calldata (the chain holds the truth once mined). */
  requested_expires_at: string | null;
  /** The key it replaces, for a pending rotation. */
  replaces_address: string | null;
  created_at: string;
  updated_at: string;
}

/** OMS-side actions on a vault's key; on-chain events come from the executor's logs. */
export interface SessionKeyActionsTable {
  id: string;
  vault_id: string;
  type:
    | "PREPARED"
    | "ROTATION_PREPARED"
    | "ROTATED"
    | "ROTATION_CANCELED"
    | "REVOKE_PREPARED"
    // On-chain limits (issue 20); `session_key_address` holds the hook (budget) or the guardian.
    | "BUDGET_PREPARED"
    | "PAUSE_PREPARED"
    | "UNPAUSE_PREPARED"
    | "GUARDIAN_PREPARED";
  session_key_address: string | null;
  actor: string | null;
  expires_at: string | null;
  created_at: string;
  /** Latest block number and its timestamp (decimal strings) when the action was taken. */
  chain_block: string;
  chain_timestamp: string;
  /** The vault's audit chain (keys/action-chain.ts): 1, 2, … per vault; null only before migration 007 ran. */
  seq: number | null;
  hash: string | null;
}

export interface SessionKeyTables {
  session_keys: SessionKeysTable;
  session_key_actions: SessionKeyActionsTable;
}

/**
 * The OMS database type is the store's, which need not list our tables, and Kysely's type is invariant
 * in it; this is the one place that narrows it. Sound because `sessionKeysMigration` creates these
 * tables and this module touches no others.
 */
export function sessionKeyDb<DB>(db: Kysely<DB>): Kysely<SessionKeyTables> {
  return db as unknown as Kysely<SessionKeyTables>;
}
