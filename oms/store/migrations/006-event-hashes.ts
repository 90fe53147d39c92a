import { sql } from "kysely";
import { chainEvents, GENESIS_HASH } from "../../../lib/defix/audit-chain";
import type { Migration } from "../../kernel/migrate";

interface EventRow {
  event_id: string;
  intent_id: string;
  execution_id: string | null;
  message_type: string;
  seq_num: number;
  payload: string;
  created_at: string;
  position: number | string;
}

const PAGE = 500;

/**
 * The audit chain (docs/ARCHITECTURE.md, "Audit chain"): adds `intent_events.hash` and hashes every
 * existing event, intent by intent in sequence order, exactly as an append would have.
 */
export const eventHashesMigration: Migration = {
  name: "006_event_hashes",
  async up(db) {
    await db.schema.alterTable("intent_events").addColumn("hash", "text").execute();
    let afterIntent = "";
    for (;;) {
      const intents = await sql<{ intent_id: string }>`select distinct intent_id from intent_events
        where intent_id > ${afterIntent} order by intent_id limit ${PAGE}`.execute(db);
      if (intents.rows.length === 0) return;
      for (const { intent_id } of intents.rows) {
        const rows = await sql<EventRow>`select event_id, intent_id, execution_id, message_type, seq_num, payload,
          created_at, position from intent_events where intent_id = ${intent_id} order by seq_num`.execute(db);
        const hashed = chainEvents(
          GENESIS_HASH,
          rows.rows.map((row) => ({
            ...row,
            payload: JSON.parse(row.payload) as unknown,
            position: Number(row.position),
          })),
        );
        for (const event of hashed) {
          await sql`update intent_events set hash = ${event.hash} where event_id = ${event.event_id}`.execute(db);
        }
        afterIntent = intent_id;
      }
    }
  },
};
