import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/**
 * PostgreSQL: `defix_chain(previous, digests, first_position)`, the hashes of an intent's consecutive new events,
 * each linked to the one before (the first to `previous`, its chain head) with the formula of
 * lib/defix/audit-chain.ts `chainLink`: sha256(previous ‖ digest ‖ int8(position)), hex. Single-statement appends
 * send their events as one JSON parameter and hash them with it (store/event-append.ts `eventsFromJsonSql`): the
 * statement's text no longer nests one link inside the next, so it stays small and its parameters few. A missing
 * head raises rather than starting a new chain; not with `defix_require`'s SQLSTATE, since a broken chain is no lost
 * race to retry. SQLite hashes in JS: nothing to create.
 */
export const chainFunctionMigration: Migration = {
  name: "013_chain_function",
  async up(db, dialect) {
    if (dialect !== "postgres") return;
    await sql`create function defix_chain(previous text, digests text[], first_position bigint) returns text[]
      language plpgsql immutable as $$
      declare
        head text := previous;
        hashes text[] := '{}';
      begin
        if previous is null then
          raise exception 'audit chain: the events'' chain head is missing';
        end if;
        for i in 1 .. coalesce(array_length(digests, 1), 0) loop
          head := encode(sha256(decode(head, 'hex') || decode(digests[i], 'hex') || int8send(first_position + i - 1)), 'hex');
          hashes := hashes || head;
        end loop;
        return hashes;
      end
    $$`.execute(db);
  },
};
