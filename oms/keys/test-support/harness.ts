import type { Address } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { sessionKeyExecutorAbi } from "../../../contracts/generated/abis";
import type { World } from "../../../contracts/test/fixture";
import type { PreparedTransaction } from "../../../lib/defix/session-keys";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import { DomainError } from "../../kernel/errors";
import type { Db, Dialect } from "../../store/db";
import { createTestDatabase, type TestDatabase } from "../../store/test-support/databases";
import { sessionKeyDb } from "../schema";
import { createSessionKeyService, type SessionKeyService, type SessionKeyServiceConfig } from "../service";

export const MASTER_KEY = Buffer.alloc(32, 0x5a);

/** A service over `db` and `world`, reading the chain fresh on every call (no readiness cache). */
export function keyService(
  world: World,
  db: Db,
  options: { masterKey?: Uint8Array; config?: Partial<SessionKeyServiceConfig> } = {},
): SessionKeyService {
  return createSessionKeyService({
    db: db.db,
    client: world.publicClient,
    manifest: world.manifest,
    masterKey: options.masterKey ?? MASTER_KEY,
    config: { readinessCacheMs: 0, ...options.config },
  });
}

/** The manager's wallet signs and sends exactly what the OMS prepared; resolves once it mined. */
export async function sendPrepared(world: World, prepared: PreparedTransaction, from = world.accounts.managerOne) {
  const hash = await world.wallet(from).sendTransaction({
    to: prepared.to,
    data: prepared.data,
    value: BigInt(prepared.value),
  });
  return world.mined(hash);
}

export function keyStatus(world: World, vault: ManifestVault, key: string): Promise<number> {
  return world.publicClient.readContract({
    address: world.manifest.contracts.executor,
    abi: sessionKeyExecutorAbi,
    functionName: "sessionKeyStatus",
    args: [vault.strategy, key as Address],
  });
}

/** Resolves to the DomainError `action` rejected with; fails when it resolved or threw something else. */
export async function domainErrorOf(action: Promise<unknown>): Promise<DomainError> {
  const outcome = await action.then(
    () => null,
    (error: unknown) => error,
  );
  if (outcome === null) throw new Error("expected a DomainError, but the call succeeded");
  if (!(outcome instanceof DomainError)) throw outcome;
  return outcome;
}

export async function clearKeyTables(db: Db): Promise<void> {
  const keys = sessionKeyDb(db.db);
  await keys.deleteFrom("session_key_actions").execute();
  await keys.deleteFrom("session_keys").execute();
}

/**
 * Registers a describe block's hooks for a key service on a fresh `dialect` database over the file's chain
 * (`world()`, set up by the file): every test runs on a chain snapshot reverted afterwards, with the key tables
 * emptied. `ready` receives the database and the service once they are open.
 */
export function withKeyService(
  dialect: Dialect,
  world: () => World,
  ready: (handle: { db: Db; service: SessionKeyService }) => void,
): void {
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  let snapshot: `0x${string}`;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.open();
    ready({ db, service: keyService(world(), db) });
  });
  afterAll(async () => database?.destroy());
  beforeEach(async () => {
    snapshot = await world().testClient.snapshot();
  });
  afterEach(async () => {
    await world().testClient.revert({ id: snapshot });
    if (db !== undefined) await clearKeyTables(db);
  });
}
