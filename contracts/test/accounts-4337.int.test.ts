import { type Address, decodeErrorResult, encodeFunctionData, getAddress, type Hex, parseEther } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKeyCompanionAbi, superVaultAbi, superVaultAccountAbi, vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { type ExecuteHooksArgs, type HookStep, hooksCall } from "./hooks-call";
import { entryPointOf, handleOps, handleOpsArgs, signedUserOp, userOpEvents } from "./user-ops";

/** EIP4337 (the vault is the account) and EIP4337_COMPANION (an account beside the vault), through the EntryPoint. */

const HOUR = 3_600n;
const DEPOSIT: HookStep[] = [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000_000n }];

let world: World;
let snapshot: Hex;

beforeAll(async () => {
  world = await setupWorld();
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

interface ModeCase {
  mode: string;
  symbol: string;
  /** The user op's call data for `steps` (wrong leaves allowed, to test the root). */
  callData(vault: Address, steps: HookStep[]): Hex;
}

const cases: ModeCase[] = [
  {
    mode: "EIP4337",
    symbol: "svDELTA",
    callData: (_vault, steps) =>
      encodeFunctionData({
        abi: superVaultAccountAbi,
        functionName: "executeHooks",
        args: hooksCall(vaultOf("svDELTA"), steps),
      }),
  },
  {
    mode: "EIP4337_COMPANION",
    symbol: "svEPSILON",
    callData: (vault, steps) =>
      encodeFunctionData({
        abi: sessionKeyCompanionAbi,
        functionName: "executeHooks",
        args: [vault, ...hooksCall(vaultOf("svEPSILON"), steps)],
      }),
  },
];

function vaultOf(symbol: string) {
  return world.vault(symbol);
}

describe.each(cases)("$mode account ($symbol)", ({ mode, symbol, callData }) => {
  const vault = () => getAddress(vaultOf(symbol).address);
  const holder = () => getAddress(vaultOf(symbol).key_holder ?? "0x");

  async function grant(key: Address, expiresIn = HOUR, value = 0n) {
    const expiry = (await world.latestTimestamp()) + expiresIn;
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: holder(),
        abi: sessionKeyCompanionAbi,
        functionName: "grantSessionKey",
        args: [vault(), key, expiry, 1n],
        value,
      }),
    );
  }

  function asManager(functionName: "revokeSessionKey" | "invalidateAllSessionKeys", key: Address) {
    const wallet = world.wallet(world.accounts.managerOne);
    return world.mined(
      functionName === "revokeSessionKey"
        ? wallet.writeContract({ address: holder(), abi: sessionKeyCompanionAbi, functionName, args: [vault(), key] })
        : wallet.writeContract({ address: holder(), abi: sessionKeyCompanionAbi, functionName, args: [vault()] }),
    );
  }

  async function opRefusal(key: PrivateKeyAccount): Promise<string> {
    const op = await signedUserOp(world, holder(), callData(vault(), DEPOSIT), key);
    const revert = await revertOf(world.publicClient.simulateContract(handleOpsArgs(world, [op])));
    expect(revert.errorName).toBe("FailedOp");
    return String(revert.args[1]);
  }

  function newKey() {
    return privateKeyToAccount(generatePrivateKey());
  }

  it("runs the hooks of a user op the session key signed; the account pays from its deposit", async () => {
    expect(vaultOf(symbol).account_mode).toBe(mode);
    const key = newKey();
    await grant(key.address, HOUR, parseEther("1"));
    const depositBefore = await world.publicClient.readContract({
      address: holder(),
      abi: sessionKeyCompanionAbi,
      functionName: "getDeposit",
    });
    const receipt = await handleOps(world, [await signedUserOp(world, holder(), callData(vault(), DEPOSIT), key)]);
    const { events } = userOpEvents(receipt);
    expect(events).toHaveLength(1);
    expect(events[0]!.args.success).toBe(true);
    expect(events[0]!.args.sender).toBe(holder());
    const depositAfter = await world.publicClient.readContract({
      address: holder(),
      abi: sessionKeyCompanionAbi,
      functionName: "getDeposit",
    });
    expect(depositBefore - depositAfter).toBe(events[0]!.args.actualGasCost);
    const [sources] = await world.publicClient.readContract({
      address: vault(),
      abi: superVaultAbi,
      functionName: "positions",
    });
    expect(sources).toContain(getAddress(vaultOf(symbol).yield_sources[0]!));
  });

  it("refuses a replayed user op (EntryPoint nonce)", async () => {
    const key = newKey();
    await grant(key.address);
    const op = await signedUserOp(world, holder(), callData(vault(), DEPOSIT), key);
    await handleOps(world, [op]);
    const revert = await revertOf(world.publicClient.simulateContract(handleOpsArgs(world, [op])));
    expect(String(revert.args[1])).toMatch(/AA25/);
  });

  it("refuses an expired key (AA22), a revoked key, an old-generation key and a never-granted key (AA24)", async () => {
    const expired = newKey();
    await grant(expired.address, 60n);
    await world.advance(120);
    expect(await opRefusal(expired)).toMatch(/AA22/);

    const revoked = newKey();
    await grant(revoked.address);
    await asManager("revokeSessionKey", revoked.address);
    expect(await opRefusal(revoked)).toMatch(/AA24/);

    const old = newKey();
    await grant(old.address);
    await asManager("invalidateAllSessionKeys", old.address);
    expect(await opRefusal(old)).toMatch(/AA24/);

    expect(await opRefusal(newKey())).toMatch(/AA24/);
  });

  it("refuses a key whose granting manager is no longer primary (AA24)", async () => {
    const key = newKey();
    await grant(key.address);
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: world.manifest.contracts.registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [vault(), world.accounts.managerTwo.address],
      }),
    );
    expect(await opRefusal(key)).toMatch(/AA24/);
  });

  it("refuses the op of a valid key while the registry reports the vault paused (AA24), runs it after the unpause", async () => {
    const key = newKey();
    await grant(key.address, HOUR, parseEther("1"));
    const pause = (functionName: "pause" | "unpause") =>
      world.mined(
        world.wallet(world.accounts.managerOne).writeContract({
          address: world.manifest.contracts.registry,
          abi: vaultRegistryAbi,
          functionName,
          args: [vault()],
        }),
      );
    await pause("pause");
    expect(await opRefusal(key)).toMatch(/AA24/);
    await pause("unpause");
    const receipt = await handleOps(world, [await signedUserOp(world, holder(), callData(vault(), DEPOSIT), key)]);
    expect(userOpEvents(receipt).events[0]!.args.success).toBe(true);
  });

  it("fails the op (success = false, InvalidProof) for a hook outside the merkle root", async () => {
    const key = newKey();
    await grant(key.address);
    const good = hooksCall(vaultOf(symbol), DEPOSIT);
    const outside: ExecuteHooksArgs = [[world.manifest.contracts.hooks.redeem4626], good[1], good[2], good[3], good[4]];
    const data =
      mode === "EIP4337"
        ? encodeFunctionData({ abi: superVaultAccountAbi, functionName: "executeHooks", args: outside })
        : encodeFunctionData({
            abi: sessionKeyCompanionAbi,
            functionName: "executeHooks",
            args: [vault(), ...outside],
          });
    const receipt = await handleOps(world, [await signedUserOp(world, holder(), data, key)]);
    const { events, reverts } = userOpEvents(receipt);
    expect(events[0]!.args.success).toBe(false);
    const decoded = decodeErrorResult({ abi: superVaultAbi, data: reverts[0]!.args.revertReason });
    expect(decoded.errorName).toBe("InvalidProof");
  });

  it("refuses call data other than the hook entry point, direct calls, and grants by anyone but the primary", async () => {
    const key = newKey();
    await grant(key.address);
    const other = encodeFunctionData({ abi: sessionKeyCompanionAbi, functionName: "addDeposit" });
    const op = await signedUserOp(world, holder(), other, key);
    const refused = await revertOf(world.publicClient.simulateContract(handleOpsArgs(world, [op])));
    expect(String(refused.args[1])).toMatch(/AA24/);

    const hooks = hooksCall(vaultOf(symbol), DEPOSIT);
    const direct = await revertOf(
      mode === "EIP4337"
        ? world.publicClient.simulateContract({
            address: holder(),
            abi: superVaultAccountAbi,
            functionName: "executeHooks",
            args: hooks,
            account: key,
          })
        : world.publicClient.simulateContract({
            address: holder(),
            abi: sessionKeyCompanionAbi,
            functionName: "executeHooks",
            args: [vault(), ...hooks],
            account: key,
          }),
    );
    expect(["NotEntryPoint", "NotExecutor"]).toContain(direct.errorName);

    const expiry = (await world.latestTimestamp()) + HOUR;
    const notPrimary = await revertOf(
      world.publicClient.simulateContract({
        address: holder(),
        abi: sessionKeyCompanionAbi,
        functionName: "grantSessionKey",
        args: [vault(), key.address, expiry, 1n],
        account: world.accounts.managerTwo,
      }),
    );
    expect(notPrimary.errorName).toBe("NotPrimaryManager");

    const alpha = getAddress(world.vault("svALPHA").address);
    const foreign = await revertOf(
      world.publicClient.simulateContract({
        address: holder(),
        abi: sessionKeyCompanionAbi,
        functionName: "grantSessionKey",
        args: [alpha, key.address, expiry, 1n],
        account: world.accounts.managerOne,
      }),
    );
    expect(foreign.errorName).toBe("StrategyNotServed");
    expect(getAddress(entryPointOf(world))).toBe(
      await world.publicClient.readContract({
        address: holder(),
        abi: sessionKeyCompanionAbi,
        functionName: "entryPoint",
      }),
    );
  });
});
