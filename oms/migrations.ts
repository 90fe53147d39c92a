import { rpcAuthorNoncesMigration, rpcInstanceMigration } from "./api/rpc/nonce-migration";
import type { Migration } from "./kernel/migrate";
import { sessionKeyActionChainMigration } from "./keys/action-chain-migration";
import { sessionKeysMigration } from "./keys/migration";
import { alertsMigration } from "./notify/alerts/migration";
import { webhooksMigration } from "./notify/webhooks/migration";
import { type CreateDbOptions, createDb, type Db } from "./store/db";
import { intentsMigration } from "./store/migrations/001-intents";
import { listIndexesMigration } from "./store/migrations/002-list-indexes";
import { eventPositionMigration } from "./store/migrations/003-event-position";
import { consumerCursorsMigration } from "./store/migrations/004-consumer-cursors";
import { attemptReceiptsMigration } from "./store/migrations/005-attempt-receipts";
import { refinementsMigration } from "./store/migrations/005-refinements";
import { eventHashesMigration } from "./store/migrations/006-event-hashes";
import { approvalsMigration } from "./store/migrations/008-approvals";
import { vaultCheckpointsMigration } from "./store/migrations/008-vault-checkpoints";
import { userOpAttemptsMigration } from "./store/migrations/009-user-op-attempts";
import { leasesMigration } from "./store/migrations/010-leases";
import { intentCountsMigration } from "./store/migrations/011-intent-counts";
import { requireFunctionMigration } from "./store/migrations/012-require";
import { chainFunctionMigration } from "./store/migrations/013-chain-function";

/** Applied in order, each once, at start. Append new entries; never reorder or rename. */
export const migrations: readonly Migration[] = [
  intentsMigration,
  sessionKeysMigration,
  rpcAuthorNoncesMigration,
  listIndexesMigration,
  rpcInstanceMigration,
  eventPositionMigration,
  consumerCursorsMigration,
  attemptReceiptsMigration,
  alertsMigration,
  webhooksMigration,
  refinementsMigration,
  eventHashesMigration,
  sessionKeyActionChainMigration,
  vaultCheckpointsMigration,
  approvalsMigration,
  userOpAttemptsMigration,
  leasesMigration,
  intentCountsMigration,
  requireFunctionMigration,
  chainFunctionMigration,
];

/** The OMS's database with every migration applied: what the service, its tests and the benches open. */
export function createOmsDb(options: Omit<CreateDbOptions, "migrations">): Promise<Db> {
  return createDb({ ...options, migrations });
}
