import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setupWorld, type World } from "../../contracts/test/fixture";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Db } from "../store/db";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { REPEAT_WINDOW_SECONDS } from "./operations";
import { sessionKeyDb } from "./schema";
import type { SessionKeyService } from "./service";
import { clearKeyTables, domainErrorOf, keyService, sendPrepared } from "./test-support/harness";

let world: World;
let alpha: ManifestVault;
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
  alpha = world.vault("svALPHA");
});
afterAll(async () => world?.stop());

/**
 * Issue 12: the prepare endpoints are GETs (the seed's methods), so reloads and links repeat them; each
 * repeat made a new audit row (and a rotation repeat answered 409 ROTATION_PENDING to its own manager).
 * A repeat by the same manager, asking the same, with nothing changed on-chain, is answered with the
 * same pending key and calldata and writes nothing.
 */
describe.each(DIALECTS)("repeated session-key prepares on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let service: SessionKeyService;
  const manager = () => ({ subject: world.accounts.managerOne.address.toLowerCase() });
  const rows = async () => {
    const keys = sessionKeyDb(db.db);
    const actions = await keys.selectFrom("session_key_actions").select(["type", "actor"]).execute();
    const pending = await keys.selectFrom("session_keys").select(["address", "status"]).execute();
    return { actions, pending };
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.open();
    service = keyService(world, db);
  });
  afterAll(async () => database?.destroy());
  beforeEach(async () => {
    snapshot = await world.testClient.snapshot();
  });
  afterEach(async () => {
    await world.testClient.revert({ id: snapshot });
    await clearKeyTables(db);
  });

  it("grant: the same pending key and calldata, no new key and no new audit row", async () => {
    const first = await service.prepareGrant(alpha.vault_id, "24h", manager());
    const before = await rows();
    const again = await service.prepareGrant(alpha.vault_id, "24h", manager());
    expect(again).toEqual(first);
    expect(await rows()).toEqual(before);
    expect(before.actions).toHaveLength(1);
  });

  it("grant: a different duration or a later visit refreshes the expiry of the same key, and is recorded", async () => {
    const first = await service.prepareGrant(alpha.vault_id, "24h", manager());
    const longer = await service.prepareGrant(alpha.vault_id, "48h", manager());
    expect(longer.session_key_address).toBe(first.session_key_address);
    expect(longer.data).not.toBe(first.data);
    await world.testClient.increaseTime({ seconds: Number(REPEAT_WINDOW_SECONDS) + 1 });
    await world.testClient.mine({ blocks: 1 });
    const later = await service.prepareGrant(alpha.vault_id, "48h", manager());
    expect(later.session_key_address).toBe(first.session_key_address);
    expect((await rows()).actions).toHaveLength(3);
  });

  it("rotation: the same manager's repeat gets the same pending key, not 409 ROTATION_PENDING", async () => {
    await sendPrepared(world, await service.prepareGrant(alpha.vault_id, undefined, manager()));
    const first = await service.prepareRotation(alpha.vault_id, "24h", manager());
    const before = await rows();
    const again = await service.prepareRotation(alpha.vault_id, "24h", manager());
    expect(again).toEqual(first);
    expect(await rows()).toEqual(before);
    expect(before.pending.filter((key) => key.status === "PENDING_ROTATION")).toHaveLength(1);

    // Anyone else, or another request, still meets the pending rotation.
    const other = await domainErrorOf(service.prepareRotation(alpha.vault_id, "24h", { subject: "0xother" }));
    expect({ status: other.status, code: other.code }).toEqual({ status: 409, code: "ROTATION_PENDING" });
    const different = await domainErrorOf(service.prepareRotation(alpha.vault_id, "48h", manager()));
    expect(different.code).toBe("ROTATION_PENDING");

    // Once the rotation mined, repeating its calldata would revert: complete it instead.
    await sendPrepared(world, first);
    const mined = await domainErrorOf(service.prepareRotation(alpha.vault_id, "24h", manager()));
    expect(mined.code).toBe("ROTATION_PENDING");
  });

  it("revoke: one audit row for repeated prepares", async () => {
    await sendPrepared(world, await service.prepareGrant(alpha.vault_id, undefined, manager()));
    const first = await service.prepareRevoke(alpha.vault_id, manager());
    const again = await service.prepareRevoke(alpha.vault_id, manager());
    expect(again).toEqual(first);
    const revokes = (await rows()).actions.filter((action) => action.type === "REVOKE_PREPARED");
    expect(revokes).toHaveLength(1);
  });
});
