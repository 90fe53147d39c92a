import { rpcAuthorNoncesMigration, rpcInstanceMigration } from "../../api/rpc/nonce-migration";
import type { Migration } from "../../kernel/migrate";
import { sessionKeysMigration } from "../../keys/migration";
import { intentsMigration } from "./001-intents";
import { listIndexesMigration } from "./002-list-indexes";

/** Applied in order, each once, at start. Append new entries; never reorder or rename. */
export const migrations: readonly Migration[] = [
  intentsMigration,
  sessionKeysMigration,
  rpcAuthorNoncesMigration,
  listIndexesMigration,
  rpcInstanceMigration,
];
