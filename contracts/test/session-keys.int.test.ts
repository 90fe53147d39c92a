import { type Address, getAddress, parseEther, parseEventLogs, zeroAddress } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { hooksCall } from "./hooks-call";

const PERMISSION_EXECUTE_HOOKS = 1n;
const STATUS = {
  VALID: 0,
  NONE: 1,
  EXPIRED: 2,
  REVOKED: 3,
  GENERATION_CHANGED: 4,
  MANAGER_CHANGED: 5,
  MISSING_PERMISSION: 6,
};
const HOUR = 3_600n;

let world: World;
let executor: Address;
let alpha: Address;
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
  executor = world.manifest.contracts.executor;
  alpha = getAddress(world.vault("svALPHA").address);
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

function newKey(): PrivateKeyAccount {
  return privateKeyToAccount(generatePrivateKey());
}

async function grant(key: Address, options: { expiresIn?: bigint; permissions?: bigint; value?: bigint } = {}) {
  const expiry = (await world.latestTimestamp()) + (options.expiresIn ?? HOUR);
  const args = [alpha, key, expiry, options.permissions ?? PERMISSION_EXECUTE_HOOKS] as const;
  const hash = world.wallet(world.accounts.managerOne).writeContract({
    address: executor,
    abi: sessionKeyExecutorAbi,
    functionName: "grantSessionKey",
    args,
    value: options.value ?? parseEther("0.1"),
  });
  return { receipt: await world.mined(hash), expiry };
}

const status = (key: Address, strategy = alpha) =>
  world.publicClient.readContract({
    address: executor,
    abi: sessionKeyExecutorAbi,
    functionName: "sessionKeyStatus",
    args: [strategy, key],
  });

/** A small deposit through the executor, signed by `key`. */
function executeAs(key: PrivateKeyAccount, strategy = alpha) {
  const args = hooksCall(world.vault("svALPHA"), [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000_000n }]);
  return world.wallet(key).writeContract({
    address: executor,
    abi: sessionKeyExecutorAbi,
    functionName: "executeHooks",
    args: [strategy, ...args],
  });
}

describe("SessionKeyExecutor", () => {
  it("grants a key that is valid, recorded, announced and funded with the ETH sent", async () => {
    const key = newKey();
    const { receipt, expiry } = await grant(key.address, { value: parseEther("0.25") });

    expect(await world.publicClient.getBalance({ address: key.address })).toBe(parseEther("0.25"));
    expect(await status(key.address)).toBe(STATUS.VALID);
    const record = await world.publicClient.readContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "getSessionKey",
      args: [alpha, key.address],
    });
    expect(record).toEqual([expiry, 0n, world.accounts.managerOne.address, PERMISSION_EXECUTE_HOOKS, false]);
    const [event] = parseEventLogs({ abi: sessionKeyExecutorAbi, eventName: "SessionKeyGranted", logs: receipt.logs });
    expect(event?.args).toMatchObject({ strategy: alpha, key: key.address, expiry, permissions: 1n, generation: 0n });
    await world.mined(executeAs(key));
  });

  it("expires at its expiry time", async () => {
    const key = newKey();
    await grant(key.address, { expiresIn: 100n });
    expect(await status(key.address)).toBe(STATUS.VALID);
    await world.advance(101);
    expect(await status(key.address)).toBe(STATUS.EXPIRED);
    expect(await revertOf(executeAs(key))).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.EXPIRED] });
  });

  it("revokes one key and keeps others", async () => {
    const [revoked, kept] = [newKey(), newKey()];
    await grant(revoked.address);
    await grant(kept.address);
    const hash = world.wallet(world.accounts.managerOne).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "revokeSessionKey",
      args: [alpha, revoked.address],
    });
    const [event] = parseEventLogs({
      abi: sessionKeyExecutorAbi,
      eventName: "SessionKeyRevoked",
      logs: (await world.mined(hash)).logs,
    });
    expect(event?.args).toMatchObject({ strategy: alpha, key: revoked.address, by: world.accounts.managerOne.address });
    expect(await status(revoked.address)).toBe(STATUS.REVOKED);
    expect(await status(kept.address)).toBe(STATUS.VALID);
    expect(await revertOf(executeAs(revoked))).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.REVOKED] });
  });

  it("invalidates every key by moving to a new generation; later grants are valid again", async () => {
    const old = newKey();
    await grant(old.address);
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "invalidateAllSessionKeys",
        args: [alpha],
      }),
    );
    expect(
      await world.publicClient.readContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "generation",
        args: [alpha],
      }),
    ).toBe(1n);
    expect(await status(old.address)).toBe(STATUS.GENERATION_CHANGED);
    expect(await revertOf(executeAs(old))).toEqual({
      errorName: "InvalidSessionKey",
      args: [STATUS.GENERATION_CHANGED],
    });

    const fresh = newKey();
    await grant(fresh.address);
    expect(await status(fresh.address)).toBe(STATUS.VALID);
  });

  it("invalidates keys granted by a manager who is no longer primary", async () => {
    const key = newKey();
    await grant(key.address);
    const registry = world.manifest.contracts.registry;
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [alpha, world.accounts.managerTwo.address],
      }),
    );
    expect(await status(key.address)).toBe(STATUS.MANAGER_CHANGED);
    expect(
      await world.publicClient.readContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "isSessionKeyValid",
        args: [alpha, key.address],
      }),
    ).toBe(false);
    expect(await revertOf(executeAs(key))).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.MANAGER_CHANGED] });
    // The old primary lost the right to grant; the new one has it.
    expect((await revertOf(grant(newKey().address))).errorName).toBe("NotPrimaryManager");
  });

  it("reports a key without the ExecuteHooks permission and refuses its calls", async () => {
    const key = newKey();
    await grant(key.address, { permissions: 0n });
    expect(await status(key.address)).toBe(STATUS.MISSING_PERMISSION);
    expect(await revertOf(executeAs(key))).toEqual({
      errorName: "InvalidSessionKey",
      args: [STATUS.MISSING_PERMISSION],
    });
  });

  it("rotates in one transaction: old key revoked, new key granted and funded", async () => {
    const [oldKey, newer] = [newKey(), newKey()];
    await grant(oldKey.address);
    const expiry = (await world.latestTimestamp()) + HOUR;
    const hash = world.wallet(world.accounts.managerOne).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "rotateSessionKey",
      args: [alpha, oldKey.address, newer.address, expiry, PERMISSION_EXECUTE_HOOKS],
      value: parseEther("0.5"),
    });
    const logs = parseEventLogs({ abi: sessionKeyExecutorAbi, logs: (await world.mined(hash)).logs });
    expect(logs.map((log) => log.eventName)).toEqual(["SessionKeyRevoked", "SessionKeyGranted"]);
    expect(await status(oldKey.address)).toBe(STATUS.REVOKED);
    expect(await status(newer.address)).toBe(STATUS.VALID);
    expect(await world.publicClient.getBalance({ address: newer.address })).toBe(parseEther("0.5"));
  });

  it("reports NONE for unknown keys and keys of another strategy", async () => {
    const key = newKey();
    expect(await status(key.address)).toBe(STATUS.NONE);
    await grant(key.address);
    const beta = world.vault("svBETA").address;
    expect(await status(key.address, beta)).toBe(STATUS.NONE);
    expect(await revertOf(executeAs(key, beta))).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.NONE] });
    const revokeUnknown = world.wallet(world.accounts.managerOne).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "revokeSessionKey",
      args: [alpha, newKey().address],
    });
    expect(await revertOf(revokeUnknown)).toEqual({ errorName: "InvalidSessionKey", args: [STATUS.NONE] });
  });

  it("rejects an expiry not in the future and the zero address", async () => {
    expect((await revertOf(grant(newKey().address, { expiresIn: 0n }))).errorName).toBe("InvalidExpiry");
    expect((await revertOf(grant(zeroAddress))).errorName).toBe("ZeroAddress");
  });

  it("lets only the primary manager grant, rotate, revoke and invalidate", async () => {
    const key = newKey();
    await grant(key.address);
    const expiry = (await world.latestTimestamp()) + HOUR;
    for (const caller of [world.accounts.managerTwo, world.accounts.outsider]) {
      const wallet = world.wallet(caller);
      // Thunks: each call starts only when awaited, so no rejection goes unobserved.
      const attempts = [
        () =>
          wallet.writeContract({
            address: executor,
            abi: sessionKeyExecutorAbi,
            functionName: "grantSessionKey",
            args: [alpha, newKey().address, expiry, 1n],
          }),
        () =>
          wallet.writeContract({
            address: executor,
            abi: sessionKeyExecutorAbi,
            functionName: "rotateSessionKey",
            args: [alpha, key.address, newKey().address, expiry, 1n],
          }),
        () =>
          wallet.writeContract({
            address: executor,
            abi: sessionKeyExecutorAbi,
            functionName: "revokeSessionKey",
            args: [alpha, key.address],
          }),
        () =>
          wallet.writeContract({
            address: executor,
            abi: sessionKeyExecutorAbi,
            functionName: "invalidateAllSessionKeys",
            args: [alpha],
          }),
      ];
      for (const attempt of attempts) expect((await revertOf(attempt())).errorName).toBe("NotPrimaryManager");
    }
    expect(await status(key.address)).toBe(STATUS.VALID);
  });
});
