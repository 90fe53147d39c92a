import { sql } from "kysely";
import type { Migration } from "../../kernel/migrate";

/** The SQLSTATE `defix_require` raises: a single-statement write whose guard did not hold wrote nothing. */
export const REQUIRE_FAILED_SQLSTATE = "DX409";

/**
 * PostgreSQL: `defix_require(ok, message)` is true, or raises (SQLSTATE DX409) so that the statement calling it
 * rolls back as a whole. A data-modifying CTE runs to completion whether or not it is read, so a single statement
 * that writes several rows (a signing turn: the nonce, each intent, the attempts, the events; store/signing-turn.ts)
 * cannot skip the rest when one guard fails: it fails instead. Volatile (the default), so never folded at plan
 * time. SQLite writes such turns in a transaction: nothing to create.
 */
export const requireFunctionMigration: Migration = {
  name: "012_require_function",
  async up(db, dialect) {
    if (dialect !== "postgres") return;
    await sql`create function defix_require(ok boolean, message text) returns boolean language plpgsql as $$
      begin
        if ok is not true then
          raise exception '%', message using errcode = 'DX409';
        end if;
        return true;
      end
    $$`.execute(db);
  },
};
