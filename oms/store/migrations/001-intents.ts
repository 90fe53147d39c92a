import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/** Intents (projection), their gapless event log, fills, transaction attempts and signer nonces. */
export const intentsMigration: Migration = {
  name: "001_intents",
  async up(db) {
    await db.schema
      .createTable("intents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("strategy_id", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("objective", "text", (c) => c.notNull())
      .addColumn("account_mode", "text", (c) => c.notNull())
      .addColumn("action_config", "text", (c) => c.notNull())
      .addColumn("auth_signing", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("seq_num", "integer", (c) => c.notNull())
      .addColumn("config_hash", "text", (c) => c.notNull())
      .addColumn("size", "text")
      .addColumn("deadline", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("state_entered_at", "text", (c) => c.notNull())
      .addColumn("completed_at", "text")
      .addColumn("tx_hash", "text")
      .addColumn("gas_used", "integer")
      .addColumn("error_code", "text")
      .addColumn("error_message", "text")
      .addColumn("submitted_by", "text", (c) => c.notNull())
      .addColumn("plan", "text")
      .addColumn("signer", "text")
      .addColumn("execution_id", "text")
      .addColumn("waiting_reason", "text")
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("lease_owner", "text")
      .addColumn("lease_expires_at", "text")
      .addColumn("next_attempt_at", "text", (c) => c.notNull())
      .execute();
    // Idempotency: at most one live intent per (vault, action, config). Terminal rows drop out.
    await sql`create unique index intents_live_config on intents (vault_id, action, config_hash) where active = 1`.execute(
      db,
    );
    await sql`create index intents_list on intents (created_at desc, id desc)`.execute(db);
    await sql`create index intents_vault_list on intents (vault_id, created_at desc, id desc)`.execute(db);
    await sql`create index intents_due on intents (active, next_attempt_at)`.execute(db);

    await db.schema
      .createTable("intent_events")
      .addColumn("event_id", "text", (c) => c.primaryKey())
      .addColumn("intent_id", "text", (c) => c.notNull().references("intents.id"))
      .addColumn("execution_id", "text")
      .addColumn("message_type", "text", (c) => c.notNull())
      .addColumn("seq_num", "integer", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addUniqueConstraint("intent_events_seq", ["intent_id", "seq_num"])
      .execute();
    await sql`create index intent_events_created on intent_events (created_at)`.execute(db);

    await db.schema
      .createTable("fills")
      .addColumn("fill_id", "text", (c) => c.primaryKey())
      .addColumn("intent_id", "text", (c) => c.notNull().references("intents.id"))
      .addColumn("tx_hash", "text", (c) => c.notNull())
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("log_index", "integer", (c) => c.notNull())
      .addColumn("amount_in", "text")
      .addColumn("amount_out", "text")
      .addColumn("token_in", "text")
      .addColumn("token_out", "text")
      .addColumn("venue", "text")
      .addColumn("gas_used", "integer")
      .addColumn("block_number", "integer")
      .addColumn("mined_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addUniqueConstraint("fills_log", ["tx_hash", "log_index"])
      .execute();
    await sql`create index fills_intent on fills (intent_id)`.execute(db);

    await db.schema
      .createTable("tx_attempts")
      .addColumn("tx_hash", "text", (c) => c.primaryKey())
      .addColumn("intent_id", "text", (c) => c.notNull().references("intents.id"))
      .addColumn("execution_id", "text", (c) => c.notNull())
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("signer", "text", (c) => c.notNull())
      .addColumn("nonce", "integer", (c) => c.notNull())
      .addColumn("max_fee_per_gas", "text", (c) => c.notNull())
      .addColumn("max_priority_fee_per_gas", "text", (c) => c.notNull())
      .addColumn("raw_tx", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("broadcast_block", "integer")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await sql`create index tx_attempts_intent on tx_attempts (intent_id)`.execute(db);
    await sql`create index tx_attempts_signer on tx_attempts (chain_id, signer, nonce)`.execute(db);

    await db.schema
      .createTable("signer_nonces")
      .addColumn("chain_id", "integer", (c) => c.notNull())
      .addColumn("signer", "text", (c) => c.notNull())
      .addColumn("next_nonce", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("signer_nonces_pk", ["chain_id", "signer"])
      .execute();
  },
};
