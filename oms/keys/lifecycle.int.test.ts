import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupWorld, type World } from "../../contracts/test/fixture";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Db } from "../store/db";
import { DIALECTS } from "../store/test-support/databases";
import { sessionKeyDb } from "./schema";
import type { SessionKeyService } from "./service";
import { domainErrorOf, keyStatus, sendPrepared, withKeyService } from "./test-support/harness";

const STATUS_VALID = 0;
const STATUS_REVOKED = 3;

let world: World;
let alpha: ManifestVault;

beforeAll(async () => {
  world = await setupWorld();
  alpha = world.vault("svALPHA");
});
afterAll(async () => world?.stop());

describe.each(DIALECTS)("session key lifecycle on %s", (dialect) => {
  let db: Db;
  let service: SessionKeyService;
  const manager = () => ({ subject: world.accounts.managerOne.address.toLowerCase() });

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
    return prepared;
  }

  it("has no key before a grant", async () => {
    const readiness = await service.readiness(alpha.vault_id);
    expect(readiness).toMatchObject({
      is_ready: false,
      reason: "NO_KEY",
      session_key_address: null,
      pending_rotation: false,
    });
    expect(await service.signerFor(alpha.vault_id)).toBeNull();
  });

  it("is ready with the granted key, its expiry and its gas money once the manager sends the grant", async () => {
    const prepared = await service.prepareGrant(alpha.vault_id, "168h", manager());
    expect(prepared.to).toBe(world.manifest.contracts.executor);
    expect(prepared.value).toBe("50000000000000000");
    const pending = await service.readiness(alpha.vault_id);
    expect(pending).toMatchObject({
      is_ready: false,
      reason: "NO_KEY",
      pending_session_key_address: prepared.session_key_address,
    });

    const receipt = await sendPrepared(world, prepared);
    const readiness = await service.readiness(alpha.vault_id);
    expect(readiness).toMatchObject({
      is_ready: true,
      reason: null,
      session_key_address: prepared.session_key_address,
      expires_at: prepared.expires_at,
      pending_rotation: false,
      pending_session_key_address: null,
    });
    const block = await world.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    // The expiry is fixed at prepare time from the head then; the grant may mine a second or two later.
    const lifetimeSeconds = Date.parse(readiness.expires_at ?? "") / 1000 - Number(block.timestamp);
    expect(lifetimeSeconds).toBeLessThanOrEqual(168 * 3600);
    expect(lifetimeSeconds).toBeGreaterThanOrEqual(168 * 3600 - 5);
    const signer = await service.signerFor(alpha.vault_id);
    expect(signer?.address.toLowerCase()).toBe(prepared.session_key_address);
    // Derived once per stored key (decryption and public key), not on every signature.
    expect(await service.signerFor(alpha.vault_id)).toBe(signer);
    expect(await world.publicClient.getBalance({ address: signer!.address })).toBe(BigInt(prepared.value));

    const history = await service.history(alpha.vault_id);
    expect(history.map((entry) => entry.type)).toEqual(["GRANTED", "PREPARED"]);
    expect(history[0]).toMatchObject({ tx_hash: receipt.transactionHash, actor: manager().subject });
  });

  it("hands out the same pending key when grant is prepared twice, and refuses a grant over a valid key", async () => {
    const first = await service.prepareGrant(alpha.vault_id, "1h", manager());
    const second = await service.prepareGrant(alpha.vault_id, "2h", manager());
    expect(second.session_key_address).toBe(first.session_key_address);
    await sendPrepared(world, second);
    const error = await domainErrorOf(service.prepareGrant(alpha.vault_id, undefined, manager()));
    expect({ status: error.status, code: error.code }).toEqual({ status: 409, code: "CONFLICT" });
  });

  it("rotates: not on-chain before mining, then the new key is valid and the old one revoked", async () => {
    const granted = await grantKey();
    expect((await service.signerFor(alpha.vault_id))?.address.toLowerCase()).toBe(granted.session_key_address);
    const rotation = await service.prepareRotation(alpha.vault_id, "24h", manager());
    expect(rotation.session_key_address).not.toBe(granted.session_key_address);
    expect(await service.readiness(alpha.vault_id)).toMatchObject({
      is_ready: true,
      session_key_address: granted.session_key_address,
      pending_rotation: true,
      pending_session_key_address: rotation.session_key_address,
    });

    await world.testClient.setAutomine(false);
    const hash = await world.wallet(world.accounts.managerOne).sendTransaction({
      to: rotation.to,
      data: rotation.data,
      value: BigInt(rotation.value),
    });
    const early = await domainErrorOf(service.completeRotation(alpha.vault_id, manager()));
    expect({ status: early.status, code: early.code }).toEqual({ status: 409, code: "ROTATION_NOT_ON_CHAIN" });
    expect(early.message).toContain("not yet on-chain");
    await world.testClient.mine({ blocks: 1 });
    await world.testClient.setAutomine(true);
    await world.mined(hash);

    const readiness = await service.completeRotation(alpha.vault_id, manager());
    expect(readiness).toMatchObject({
      is_ready: true,
      session_key_address: rotation.session_key_address,
      pending_rotation: false,
    });
    expect(await keyStatus(world, alpha, rotation.session_key_address!)).toBe(STATUS_VALID);
    expect(await keyStatus(world, alpha, granted.session_key_address!)).toBe(STATUS_REVOKED);
    expect((await service.signerFor(alpha.vault_id))?.address.toLowerCase()).toBe(rotation.session_key_address);

    const again = await domainErrorOf(service.completeRotation(alpha.vault_id, manager()));
    expect({ status: again.status, code: again.code }).toEqual({ status: 409, code: "NO_PENDING_ROTATION" });
    const types = (await service.history(alpha.vault_id)).map((entry) => entry.type);
    expect(types.slice(0, 2)).toEqual(["ROTATED", "GRANTED"]);
    expect(types).toContain("REVOKED");
    expect(types).toContain("ROTATION_PREPARED");
  });

  it("keeps the old key when a rotation is cancelled, and refuses to cancel one that is on-chain", async () => {
    const granted = await grantKey();
    await service.prepareRotation(alpha.vault_id, undefined, manager());
    const readiness = await service.cancelRotation(alpha.vault_id, manager());
    expect(readiness).toMatchObject({
      is_ready: true,
      session_key_address: granted.session_key_address,
      pending_rotation: false,
    });
    const none = await domainErrorOf(service.cancelRotation(alpha.vault_id, manager()));
    expect({ status: none.status, code: none.code }).toEqual({ status: 409, code: "NO_PENDING_ROTATION" });

    await sendPrepared(world, await service.prepareRotation(alpha.vault_id, undefined, manager()));
    const mined = await domainErrorOf(service.cancelRotation(alpha.vault_id, manager()));
    expect({ status: mined.status, code: mined.code }).toEqual({ status: 409, code: "ROTATION_ALREADY_ON_CHAIN" });
    expect((await service.history(alpha.vault_id)).map((entry) => entry.type)).toContain("ROTATION_CANCELED");
  });

  it("signs with a cancelled rotation's key when its transaction mines after the cancel", async () => {
    const granted = await grantKey();
    const rotation = await service.prepareRotation(alpha.vault_id, "24h", manager());
    await world.testClient.setAutomine(false);
    const hash = await world.wallet(world.accounts.managerOne).sendTransaction({
      to: rotation.to,
      data: rotation.data,
      value: BigInt(rotation.value),
    });
    // Cancelled while unmined (allowed: not on-chain yet), then the transaction mines anyway.
    await service.cancelRotation(alpha.vault_id, manager());
    await world.testClient.mine({ blocks: 1 });
    await world.testClient.setAutomine(true);
    await world.mined(hash);
    expect(await keyStatus(world, alpha, granted.session_key_address!)).toBe(STATUS_REVOKED);

    const readiness = await service.readiness(alpha.vault_id);
    expect(readiness).toMatchObject({
      is_ready: true,
      session_key_address: rotation.session_key_address,
      pending_rotation: false,
    });
    expect((await service.signerFor(alpha.vault_id))?.address.toLowerCase()).toBe(rotation.session_key_address);
  });

  it("makes one pending key of several concurrent rotation requests, each answered with it", async () => {
    await grantKey();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => service.prepareRotation(alpha.vault_id, undefined, manager())),
    );
    expect(new Set(outcomes.map((outcome) => outcome.session_key_address)).size).toBe(1);
    expect(new Set(outcomes.map((outcome) => outcome.data)).size).toBe(1);
    const keys = sessionKeyDb(db.db);
    const pending = await keys
      .selectFrom("session_keys")
      .select("id")
      .where("status", "=", "PENDING_ROTATION")
      .execute();
    expect(pending).toHaveLength(1);
  });

  it("is not ready once the revoke is sent", async () => {
    const granted = await grantKey();
    expect((await service.signerFor(alpha.vault_id))?.address.toLowerCase()).toBe(granted.session_key_address);
    const revoke = await service.prepareRevoke(alpha.vault_id, manager());
    expect(revoke).toMatchObject({ value: "0", session_key_address: granted.session_key_address });
    await sendPrepared(world, revoke);
    expect(await service.readiness(alpha.vault_id)).toMatchObject({
      is_ready: false,
      reason: "REVOKED",
      session_key_address: granted.session_key_address,
    });
    expect(await service.signerFor(alpha.vault_id)).toBeNull();
    expect((await service.history(alpha.vault_id)).map((entry) => entry.type).slice(0, 2)).toEqual([
      "REVOKED",
      "REVOKE_PREPARED",
    ]);
  });
});
