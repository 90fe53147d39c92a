import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * Facet counts group every visible intent by (state, action, vault_id, strategy_id): with these
 * columns (and created_at, for the time window) in one index the count reads only the index, never
 * the wide intent rows with their JSON plan and config.
 */
export const listIndexesMigration: Migration = {
  name: "002_list_indexes",
  async up(db) {
    await sql`create index if not exists intents_facets on intents (vault_id, state, action, strategy_id, created_at)`.execute(
      db,
    );
  },
};
