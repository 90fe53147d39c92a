import { getAddress } from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKeyCompanionAbi } from "../../contracts/generated/abis";
import { setupWorld, type World } from "../../contracts/test/fixture";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Db } from "../store/db";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { delegationCode } from "./delegation";
import { clearKeyTables, domainErrorOf, keyService, sendPrepared } from "./test-support/harness";

/**
 * Session keys in the smart-account modes (docs/ARCHITECTURE.md, "Account modes"): the prepared grant targets the
 * contract holding the key in that mode, readiness reads it there, 4337 readiness measures the EntryPoint deposit,
 * and an EIP7702 vault needs its EOA's delegation before anything is granted.
 */

let world: World;
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
});
afterAll(async () => world?.stop());

const STATUS_VALID = 0;

function holderStatus(vault: ManifestVault, key: string) {
  return world.publicClient.readContract({
    address: vault.key_holder!,
    abi: sessionKeyCompanionAbi,
    functionName: "sessionKeyStatus",
    args: [vault.strategy, getAddress(key)],
  });
}

describe.each(DIALECTS)("session keys per account mode on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  const managerOne = () => ({ subject: world.accounts.managerOne.address.toLowerCase() });
  const managerTwo = () => ({ subject: world.accounts.managerTwo.address.toLowerCase() });

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.open();
  });
  afterAll(async () => database?.destroy());
  beforeEach(async () => {
    snapshot = await world.testClient.snapshot();
  });
  afterEach(async () => {
    await world.testClient.revert({ id: snapshot });
    await clearKeyTables(db);
  });

  it.each([
    ["svDELTA", "the vault itself"],
    ["svEPSILON", "the companion"],
  ])("%s (4337): the grant goes to %s; readiness counts the EntryPoint deposit", async (symbol) => {
    const vault = world.vault(symbol);
    const service = keyService(world, db);
    const prepared = await service.prepareGrant(vault.vault_id, undefined, managerOne());
    expect(prepared.to).toBe(vault.key_holder);
    await sendPrepared(world, prepared);
    expect(await holderStatus(vault, prepared.session_key_address!)).toBe(STATUS_VALID);
    const deposit = await world.publicClient.readContract({
      address: world.manifest.contracts.entry_point!,
      abi: entryPoint08Abi,
      functionName: "balanceOf",
      args: [vault.key_holder!],
    });
    expect(await service.readiness(vault.vault_id)).toMatchObject({
      is_ready: true,
      reason: null,
      session_key_address: prepared.session_key_address,
      balance_wei: deposit.toString(),
    });

    // The same key, judged against a reserve the deposit cannot cover: INSUFFICIENT_DEPOSIT with both amounts.
    const demanding = keyService(world, db, { config: { gasReserveExecutions: 10n ** 9n } });
    const short = await demanding.readiness(vault.vault_id);
    expect(short).toMatchObject({ is_ready: false, reason: "INSUFFICIENT_DEPOSIT", balance_wei: deposit.toString() });
    expect(BigInt(short.required_wei!)).toBeGreaterThan(deposit);

    const revoke = await service.prepareRevoke(vault.vault_id, managerOne());
    expect(revoke.to).toBe(vault.key_holder);
  });

  it("svZETA (7702): no grant before the EOA delegates; after it, the key lives on the EOA", async () => {
    const vault = world.vault("svZETA");
    const service = keyService(world, db);
    expect(await service.readiness(vault.vault_id)).toMatchObject({ is_ready: false, reason: "DELEGATION_MISSING" });
    const refused = await domainErrorOf(service.prepareGrant(vault.vault_id, undefined, managerTwo()));
    expect([refused.code, refused.status]).toEqual(["DELEGATION_MISSING", 409]);

    // What the canvas does with the manager's wallet: sign the authorization, send a type-4 transaction.
    const wallet = world.wallet(world.accounts.managerTwo);
    const implementation = world.manifest.contracts.account_7702!;
    const authorization = await wallet.signAuthorization({ contractAddress: implementation, executor: "self" });
    await world.mined(wallet.sendTransaction({ to: vault.delegate_eoa!, authorizationList: [authorization] }));
    expect(await world.publicClient.getCode({ address: vault.delegate_eoa! })).toBe(delegationCode(implementation));

    const prepared = await service.prepareGrant(vault.vault_id, undefined, managerTwo());
    expect(prepared.to).toBe(vault.delegate_eoa);
    await sendPrepared(world, prepared, world.accounts.managerTwo);
    expect(await holderStatus(vault, prepared.session_key_address!)).toBe(STATUS_VALID);
    expect(await service.readiness(vault.vault_id)).toMatchObject({
      is_ready: true,
      session_key_address: prepared.session_key_address,
      balance_wei: prepared.value,
    });
  });
});
