import type { Kysely } from "kysely";
import { rpcAuthorNoncesMigration, rpcInstanceMigration } from "../../api/rpc/nonce-migration";
import { sessionKeysMigration } from "../../keys/migration";
import type { Dialect } from "../db";
import { intentsMigration } from "./001-intents";
import { listIndexesMigration } from "./002-list-indexes";

/** Migrations see an untyped database: they create the tables the typed schema describes. */
export type MigrationDb = Kysely<unknown>;

export interface Migration {
  /** Unique and stable forever: it is what the `oms_migrations` table records. */
  name: string;
  up(db: MigrationDb, dialect: Dialect): Promise<void>;
}

/** Applied in order, each once, at start. Append new entries; never reorder or rename. */
export const migrations: readonly Migration[] = [
  intentsMigration,
  sessionKeysMigration,
  rpcAuthorNoncesMigration,
  listIndexesMigration,
  rpcInstanceMigration,
];
