import { createPublicClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import { setupWorld, type World } from "../../contracts/test/fixture";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Db } from "../store/db";
import { DIALECTS } from "../store/test-support/databases";
import { decryptPrivateKey, KeyStoreDecryptionError } from "./crypto";
import { sessionKeyDb } from "./schema";
import { createSessionKeyService, type SessionKeyService } from "./service";
import { domainErrorOf, keyService, MASTER_KEY, sendPrepared, withKeyService } from "./test-support/harness";

let world: World;
let alpha: ManifestVault;

beforeAll(async () => {
  world = await setupWorld();
  alpha = world.vault("svALPHA");
});
afterAll(async () => world?.stop());

describe.each(DIALECTS)("readiness follows the chain on %s", (dialect) => {
  let db: Db;
  let service: SessionKeyService;
  const manager = () => ({ subject: world.accounts.managerOne.address.toLowerCase() });
  const managerWallet = () => world.wallet(world.accounts.managerOne);

  withKeyService(
    dialect,
    () => world,
    (handle) => {
      ({ db, service } = handle);
    },
  );

  async function grantKey(requestedExpiry?: string) {
    const prepared = await service.prepareGrant(alpha.vault_id, requestedExpiry, manager());
    await sendPrepared(world, prepared);
    expect((await service.readiness(alpha.vault_id)).is_ready).toBe(true);
    return prepared;
  }

  it("reports EXPIRED once chain time passes the expiry, and records it in the history", async () => {
    const granted = await grantKey("1h");
    await world.advance(3600);
    expect(await service.readiness(alpha.vault_id)).toMatchObject({
      is_ready: false,
      reason: "EXPIRED",
      session_key_address: granted.session_key_address,
      expires_at: granted.expires_at,
    });
    expect(await service.signerFor(alpha.vault_id)).toBeNull();
    const [latest] = await service.history(alpha.vault_id);
    expect(latest).toMatchObject({ type: "EXPIRED", session_key_address: granted.session_key_address });
  });

  it("reports MANAGER_CHANGED when the registry's primary manager changes", async () => {
    await grantKey();
    await world.mined(
      managerWallet().writeContract({
        address: world.manifest.contracts.registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [alpha.address, world.accounts.managerTwo.address],
      }),
    );
    expect(await service.readiness(alpha.vault_id)).toMatchObject({ is_ready: false, reason: "MANAGER_CHANGED" });
  });

  it("reports GENERATION_CHANGED after invalidateAllSessionKeys", async () => {
    await grantKey();
    await world.mined(
      managerWallet().writeContract({
        address: world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "invalidateAllSessionKeys",
        args: [alpha.strategy],
      }),
    );
    expect(await service.readiness(alpha.vault_id)).toMatchObject({ is_ready: false, reason: "GENERATION_CHANGED" });
    expect((await service.history(alpha.vault_id))[0]).toMatchObject({
      type: "INVALIDATED",
      session_key_address: null,
    });
  });

  it("reports KEY_NOT_HELD for a valid key the OMS has no private key for, and can revoke it", async () => {
    const foreign = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
    const expiry = (await world.latestTimestamp()) + 3600n;
    await world.mined(
      managerWallet().writeContract({
        address: world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "grantSessionKey",
        args: [alpha.strategy, foreign as `0x${string}`, expiry, 1n],
      }),
    );
    expect(await service.readiness(alpha.vault_id)).toMatchObject({
      is_ready: false,
      reason: "KEY_NOT_HELD",
      session_key_address: foreign,
    });
    expect(await service.signerFor(alpha.vault_id)).toBeNull();
    await sendPrepared(world, await service.prepareRevoke(alpha.vault_id, manager()));
    expect(await service.readiness(alpha.vault_id)).toMatchObject({ reason: "NO_KEY" });
  });

  it("stores keys encrypted and fails loudly under a different master key", async () => {
    const prepared = await service.prepareGrant(alpha.vault_id, undefined, manager());
    await sendPrepared(world, prepared);
    const rows = await sessionKeyDb(db.db).selectFrom("session_keys").selectAll().execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const privateKey = decryptPrivateKey(MASTER_KEY, alpha.vault_id, row.address, row.encrypted_key);
    expect(privateKeyToAccount(privateKey).address.toLowerCase()).toBe(prepared.session_key_address);
    expect(JSON.stringify(rows).toLowerCase()).not.toContain(privateKey.slice(2).toLowerCase());

    const wrongKey = keyService(world, db, { masterKey: Buffer.alloc(32, 0x01) });
    await expect(wrongKey.signerFor(alpha.vault_id)).rejects.toBeInstanceOf(KeyStoreDecryptionError);
    await expect(wrongKey.verifyKeyStore()).rejects.toThrow(/SESSION_KEY_ENCRYPTION_KEY/);
    await expect(service.verifyKeyStore()).resolves.toBeUndefined();
  });

  it.each(["0h", "-1h", "999d", "abc", "5m"])(
    "refuses requested_expiry %s with the allowed range and writes nothing",
    async (input) => {
      for (const prepare of [service.prepareGrant, service.prepareRotation]) {
        const error = await domainErrorOf(prepare(alpha.vault_id, input, manager()));
        expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: "INVALID_EXPIRY" });
        expect(error.details).toMatchObject({ min: "10m", max: "30d" });
      }
      expect(await sessionKeyDb(db.db).selectFrom("session_keys").selectAll().execute()).toEqual([]);
      expect(await service.history(alpha.vault_id)).toEqual([]);
    },
  );

  it("answers 404 for an unknown vault and 400 for a malformed one", async () => {
    const unknown = await domainErrorOf(service.readiness("31337:0x000000000000000000000000000000000000dead"));
    expect({ status: unknown.status, code: unknown.code }).toEqual({ status: 404, code: "VAULT_NOT_FOUND" });
    const malformed = await domainErrorOf(service.prepareGrant("vault-a", undefined, manager()));
    expect(malformed.status).toBe(400);
  });

  it("refuses rotation and revoke when there is no key", async () => {
    const rotation = await domainErrorOf(service.prepareRotation(alpha.vault_id, undefined, manager()));
    expect({ status: rotation.status, code: rotation.code }).toEqual({ status: 409, code: "NO_SESSION_KEY" });
    const revoke = await domainErrorOf(service.prepareRevoke(alpha.vault_id, manager()));
    expect({ status: revoke.status, code: revoke.code }).toEqual({ status: 409, code: "NO_SESSION_KEY" });
  });

  it("says CHAIN_UNAVAILABLE when the chain does not answer, and prepares nothing", async () => {
    const offline = createSessionKeyService({
      db: db.db,
      client: createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0 }) }),
      manifest: world.manifest,
      masterKey: MASTER_KEY,
      config: { readinessCacheMs: 0 },
    });
    expect(await offline.readiness(alpha.vault_id)).toMatchObject({ is_ready: false, reason: "CHAIN_UNAVAILABLE" });
    expect(await offline.signerFor(alpha.vault_id)).toBeNull();
    const error = await domainErrorOf(offline.prepareGrant(alpha.vault_id, undefined, manager()));
    expect({ status: error.status, code: error.code }).toEqual({ status: 503, code: "CHAIN_UNAVAILABLE" });
    expect(await sessionKeyDb(db.db).selectFrom("session_keys").selectAll().execute()).toEqual([]);
  });

  it("serves readiness from a short cache that its own changes invalidate", async () => {
    const cached = keyService(world, db, { config: { readinessCacheMs: 60_000 } });
    expect((await cached.readiness(alpha.vault_id)).reason).toBe("NO_KEY");
    const prepared = await cached.prepareGrant(alpha.vault_id, undefined, manager());
    expect((await cached.readiness(alpha.vault_id)).pending_session_key_address).toBe(prepared.session_key_address);
    await sendPrepared(world, prepared);
    // Within the cache window a change made by someone else on-chain is not seen yet; that bound is the point.
    expect((await cached.readiness(alpha.vault_id)).is_ready).toBe(false);
  });
});
