import { type Address, concat, getAddress, type Hex, parseEther, zeroAddress } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKey7702AccountAbi, superVaultAbi, vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { type ExecuteHooksArgs, type HookStep, hooksCall } from "./hooks-call";

/** EIP7702: svZETA's strategy EOA (manager two) delegates to SessionKey7702Account; session keys call through it. */

const HOUR = 3_600n;
const DEPOSIT: HookStep[] = [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000_000n }];
const STATUS = { NONE: 1, EXPIRED: 2, REVOKED: 3, GENERATION_CHANGED: 4, MANAGER_CHANGED: 5 };

let world: World;
let snapshot: Hex;
let zeta: Address;
let eoa: Address;
let implementation: Address;

beforeAll(async () => {
  world = await setupWorld();
  zeta = getAddress(world.vault("svZETA").address);
  eoa = getAddress(world.vault("svZETA").delegate_eoa ?? zeroAddress);
  implementation = getAddress(world.manifest.contracts.account_7702 ?? zeroAddress);
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

const manager = () => world.wallet(world.accounts.managerTwo);

/** The EOA delegates in a type-4 transaction it sends to itself, granting `key` in the same transaction. */
async function delegateAndGrant(key: Address, expiresIn = HOUR) {
  const authorization = await manager().signAuthorization({ contractAddress: implementation, executor: "self" });
  const expiry = (await world.latestTimestamp()) + expiresIn;
  await world.mined(
    manager().writeContract({
      address: eoa,
      abi: sessionKey7702AccountAbi,
      functionName: "grantSessionKey",
      args: [zeta, key, expiry, 1n],
      value: parseEther("0.5"),
      authorizationList: [authorization],
    }),
  );
  return authorization;
}

function managerCall(functionName: "revokeSessionKey" | "invalidateAllSessionKeys", key: Address) {
  const wallet = manager();
  return world.mined(
    functionName === "revokeSessionKey"
      ? wallet.writeContract({ address: eoa, abi: sessionKey7702AccountAbi, functionName, args: [zeta, key] })
      : wallet.writeContract({ address: eoa, abi: sessionKey7702AccountAbi, functionName, args: [zeta] }),
  );
}

function execute(key: PrivateKeyAccount, steps = hooksCall(world.vault("svZETA"), DEPOSIT)) {
  return world.publicClient.simulateContract({
    address: eoa,
    abi: sessionKey7702AccountAbi,
    functionName: "executeHooks",
    args: [zeta, ...steps],
    account: key,
  });
}

const newKey = () => privateKeyToAccount(generatePrivateKey());

describe("EIP7702 strategy EOA (svZETA)", () => {
  it("is the vault's executor; after the authorization its code is 0xef0100 || implementation", async () => {
    expect(world.vault("svZETA").account_mode).toBe("EIP7702");
    expect(
      getAddress(
        await world.publicClient.readContract({ address: zeta, abi: superVaultAbi, functionName: "executor" }),
      ),
    ).toBe(eoa);
    expect(await world.publicClient.getCode({ address: eoa })).toBeUndefined();
    const key = newKey();
    await delegateAndGrant(key.address);
    expect(await world.publicClient.getCode({ address: eoa })).toBe(concat(["0xef0100", implementation]).toLowerCase());
    expect(await world.publicClient.getBalance({ address: key.address })).toBe(parseEther("0.5"));
  });

  it("runs an intent's hooks as one transaction the session key sends to the EOA", async () => {
    const key = newKey();
    await delegateAndGrant(key.address);
    const steps = hooksCall(world.vault("svZETA"), [
      { label: "Deposit4626Hook:ysAAVE", amount: 1_000_000n },
      { label: "Deposit4626Hook:ysMORPHO", amount: 2_000_000n },
    ]);
    const { request } = await execute(key, steps);
    const receipt = await world.mined(world.wallet(key).writeContract(request));
    expect(receipt.from).toBe(key.address.toLowerCase());
    const [, shares] = await world.publicClient.readContract({
      address: zeta,
      abi: superVaultAbi,
      functionName: "positions",
    });
    expect(shares.filter((amount) => amount > 0n)).toHaveLength(2);
  });

  it("refuses expired, revoked, old-generation, never-granted and manager-changed keys", async () => {
    const expired = newKey();
    await delegateAndGrant(expired.address, 60n);
    await world.advance(120);
    expect((await revertOf(execute(expired))).args).toEqual([STATUS.EXPIRED]);

    const revoked = newKey();
    await delegateAndGrant(revoked.address);
    await managerCall("revokeSessionKey", revoked.address);
    expect((await revertOf(execute(revoked))).args).toEqual([STATUS.REVOKED]);

    const old = newKey();
    await delegateAndGrant(old.address);
    await managerCall("invalidateAllSessionKeys", old.address);
    expect((await revertOf(execute(old))).args).toEqual([STATUS.GENERATION_CHANGED]);
    expect((await revertOf(execute(newKey()))).args).toEqual([STATUS.NONE]);

    const key = newKey();
    await delegateAndGrant(key.address);
    await world.mined(
      manager().writeContract({
        address: world.manifest.contracts.registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [zeta, world.accounts.managerOne.address],
      }),
    );
    const changed = await revertOf(execute(key));
    expect(changed).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.MANAGER_CHANGED] });
  });

  it("reverts a hook outside the merkle root and serves no vault that does not name the EOA", async () => {
    const key = newKey();
    await delegateAndGrant(key.address);
    const good = hooksCall(world.vault("svZETA"), DEPOSIT);
    const outside: ExecuteHooksArgs = [[world.manifest.contracts.hooks.redeem4626], good[1], good[2], good[3], good[4]];
    expect((await revertOf(execute(key, outside))).errorName).toBe("InvalidProof");
    const alpha = getAddress(world.vault("svGAMMA").address);
    const foreign = await revertOf(
      world.publicClient.simulateContract({
        address: eoa,
        abi: sessionKey7702AccountAbi,
        functionName: "grantSessionKey",
        args: [alpha, key.address, (await world.latestTimestamp()) + HOUR, 1n],
        account: world.accounts.managerTwo,
      }),
    );
    expect(foreign.errorName).toBe("StrategyNotServed");
  });

  it("reverts VaultPaused while the registry reports the vault paused, and executes after the unpause", async () => {
    const key = newKey();
    await delegateAndGrant(key.address);
    const pause = (functionName: "pause" | "unpause") =>
      world.mined(
        world.wallet(world.accounts.managerTwo).writeContract({
          address: world.manifest.contracts.registry,
          abi: vaultRegistryAbi,
          functionName,
          args: [zeta],
        }),
      );
    await pause("pause");
    expect(await revertOf(execute(key))).toEqual({ errorName: "VaultPaused", args: [zeta] });
    await pause("unpause");
    const { request } = await execute(key);
    expect((await world.mined(world.wallet(key).writeContract(request))).status).toBe("success");
  });

  it("ignores a replayed authorization: the EOA's nonce has moved on", async () => {
    const key = newKey();
    const first = await delegateAndGrant(key.address);
    // Undelegate (authorization to the zero address), then replay the first authorization.
    const reset = await manager().signAuthorization({ contractAddress: zeroAddress, executor: "self" });
    await world.mined(manager().sendTransaction({ to: eoa, authorizationList: [reset] }));
    expect(await world.publicClient.getCode({ address: eoa })).toBeUndefined();
    await world.mined(world.wallet(world.accounts.outsider).sendTransaction({ to: eoa, authorizationList: [first] }));
    expect(await world.publicClient.getCode({ address: eoa })).toBeUndefined();
  });
});
