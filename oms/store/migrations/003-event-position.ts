import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * Every event's global `position` (see docs/ARCHITECTURE.md, "Event positions"): existing events are
 * numbered 1..N in (created_at, intent_id, seq_num) order, and `event_position` holds the last one
 * handed out. The column stays nullable at the SQL level (SQLite cannot add a NOT NULL column
 * without a default); every insert path sets it, and the unique index keeps it one per event.
 */
export const eventPositionMigration: Migration = {
  name: "003_event_position",
  async up(db) {
    await db.schema.alterTable("intent_events").addColumn("position", "bigint").execute();
    await sql`update intent_events set position = ranked.p
      from (select event_id, row_number() over (order by created_at, intent_id, seq_num) as p from intent_events) as ranked
      where ranked.event_id = intent_events.event_id`.execute(db);
    await sql`create unique index intent_events_position on intent_events (position)`.execute(db);
    await db.schema
      .createTable("event_position")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("last", "bigint", (c) => c.notNull())
      .execute();
    await sql`insert into event_position (id, last) select 1, coalesce(max(position), 0) from intent_events`.execute(
      db,
    );
  },
};
