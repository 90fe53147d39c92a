import { type QueryExecutorProvider, sql } from "kysely";
import type { Migration, MigrationDb } from "../../kernel/migrate";

/**
 * Intent counts per (vault, strategy, action, state), kept by triggers on `intents` so that EVERY write
 * counts: the repository's inserts and projection updates, bulk loads, any other process or older code on
 * the same database. The history's facets read these few rows instead of grouping every intent
 * (`oms/store/facets.ts`). A missing strategy is stored as '' (a key column cannot be NULL and still be
 * unique); the contract forbids an empty strategy id.
 *
 * PostgreSQL: the triggers are deferred constraint triggers, so the count rows are written at commit. Every
 * transaction that changes an intent's state also appends events and so holds the event-position counter's
 * row lock until it commits (store/positions.ts); taking the count rows after it means only that holder
 * ever writes them: no waiting on them and no lock cycle with the counter. A transaction that rolls back
 * never reaches commit, so it counts nothing. SQLite has one writer at a time: plain triggers.
 */
export const intentCountsMigration: Migration = {
  name: "011_intent_counts",
  async up(db, dialect) {
    await db.schema
      .createTable("intent_counts")
      .addColumn("vault_id", "text", (c) => c.notNull())
      .addColumn("strategy_id", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("n", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("intent_counts_pk", ["vault_id", "strategy_id", "action", "state"])
      .execute();
    // Triggers first, then the backfill: on PostgreSQL creating a trigger locks out writers until this
    // migration commits, so no write falls between the two.
    if (dialect === "postgres") await createPostgresTriggers(db);
    else await createSqliteTriggers(db);
    await rebuildIntentCounts(db);
    // The page of a live state (RECEIVED … EXECUTING, a handful among a history's million) walks only the
    // live intents in page order; the list adds `active = 1` to such filters (store/list-repo.ts).
    await sql`create index intents_live_list on intents (state, created_at desc, id desc) where active = 1`.execute(db);
  },
};

/** Recounts every intent into `intent_counts` (the migration's backfill; a bulk load with triggers off). */
export async function rebuildIntentCounts(db: QueryExecutorProvider): Promise<void> {
  await sql`delete from intent_counts`.execute(db);
  await sql`insert into intent_counts (vault_id, strategy_id, action, state, n)
    select vault_id, coalesce(strategy_id, ''), action, state, count(*)
    from intents group by vault_id, coalesce(strategy_id, ''), action, state`.execute(db);
}

const KEY_CHANGED = (old: string, fresh: string) =>
  ["vault_id", "strategy_id", "action", "state"]
    .map((column) => `${old}.${column} is distinct from ${fresh}.${column}`)
    .join(" or ");

async function createPostgresTriggers(db: MigrationDb): Promise<void> {
  await sql`create function intent_counts_add(v text, s text, a text, st text, d integer) returns void
    language sql as $$
      insert into intent_counts (vault_id, strategy_id, action, state, n) values (v, coalesce(s, ''), a, st, d)
      on conflict (vault_id, strategy_id, action, state) do update set n = intent_counts.n + excluded.n
    $$`.execute(db);
  // An update moves one intent between two count rows: the lower key first, so two movers never wait
  // on each other in opposite orders (the commit-time ordering above already serializes them).
  await sql`create function intent_counts_track() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform intent_counts_add(new.vault_id, new.strategy_id, new.action, new.state, 1);
      elsif tg_op = 'DELETE' then
        perform intent_counts_add(old.vault_id, old.strategy_id, old.action, old.state, -1);
      elsif (old.vault_id, coalesce(old.strategy_id, ''), old.action, old.state)
          < (new.vault_id, coalesce(new.strategy_id, ''), new.action, new.state) then
        perform intent_counts_add(old.vault_id, old.strategy_id, old.action, old.state, -1);
        perform intent_counts_add(new.vault_id, new.strategy_id, new.action, new.state, 1);
      else
        perform intent_counts_add(new.vault_id, new.strategy_id, new.action, new.state, 1);
        perform intent_counts_add(old.vault_id, old.strategy_id, old.action, old.state, -1);
      end if;
      return null;
    end $$`.execute(db);
  const deferred = "deferrable initially deferred for each row";
  await sql
    .raw(`create constraint trigger intent_counts_insert after insert on intents ${deferred}
      execute function intent_counts_track()`)
    .execute(db);
  // Lease claims and releases touch other columns: they queue nothing.
  await sql
    .raw(`create constraint trigger intent_counts_update after update of vault_id, strategy_id, action, state
      on intents ${deferred} when (${KEY_CHANGED("old", "new")}) execute function intent_counts_track()`)
    .execute(db);
  await sql
    .raw(`create constraint trigger intent_counts_delete after delete on intents ${deferred}
      execute function intent_counts_track()`)
    .execute(db);
}

const sqliteAdd = (row: "old" | "new", delta: 1 | -1) =>
  `insert into intent_counts (vault_id, strategy_id, action, state, n)
     values (${row}.vault_id, coalesce(${row}.strategy_id, ''), ${row}.action, ${row}.state, ${delta})
     on conflict (vault_id, strategy_id, action, state) do update set n = n + excluded.n;`;

async function createSqliteTriggers(db: MigrationDb): Promise<void> {
  await sql
    .raw(`create trigger intent_counts_insert after insert on intents begin ${sqliteAdd("new", 1)} end`)
    .execute(db);
  await sql
    .raw(`create trigger intent_counts_update after update of vault_id, strategy_id, action, state on intents
      when ${KEY_CHANGED("old", "new").replaceAll("is distinct from", "is not")}
      begin ${sqliteAdd("old", -1)} ${sqliteAdd("new", 1)} end`)
    .execute(db);
  await sql
    .raw(`create trigger intent_counts_delete after delete on intents begin ${sqliteAdd("old", -1)} end`)
    .execute(db);
}
