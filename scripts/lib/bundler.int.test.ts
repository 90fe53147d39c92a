import { execFileSync } from "node:child_process";
import { encodeFunctionData, getAddress, http, parseGwei } from "viem";
import {
  createBundlerClient,
  entryPoint08Abi,
  formatUserOperationRequest,
  getUserOperationHash,
  type UserOperation,
} from "viem/account-abstraction";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionKeyCompanionAbi, superVaultAccountAbi } from "../../contracts/generated/abis";
import { setupWorld, type World } from "../../contracts/test/fixture";
import { hooksCall } from "../../contracts/test/hooks-call";
import { type BundlerInstance, startBundler } from "./bundler";

/** The local bundler process: real alto against real anvil, reached over the standard bundler JSON-RPC only. */

let world: World;
let bundler: BundlerInstance;

beforeAll(async () => {
  world = await setupWorld();
  bundler = await startBundler({ rpcUrl: world.anvil.rpcUrl, entryPoint: world.manifest.contracts.entry_point! });
}, 120_000);
afterAll(async () => {
  await bundler?.stop();
  await world?.stop();
});

describe("startBundler (alto)", () => {
  it("serves the world's EntryPoint on 127.0.0.1 and bundles a session-key user op of the EIP4337 vault", async () => {
    const entryPoint = getAddress(world.manifest.contracts.entry_point!);
    expect(bundler.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    // alto hard-codes 0.0.0.0; the preload keeps it on loopback (nothing else listens on its port).
    const listening = execFileSync("ss", ["-Hltn", `sport = :${bundler.port}`], { encoding: "utf8" });
    const localAddresses = listening
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s+/)[3]);
    expect(localAddresses).toEqual([`127.0.0.1:${bundler.port}`]);
    const client = createBundlerClient({ transport: http(bundler.url), pollingInterval: 100 });
    expect((await client.getSupportedEntryPoints()).map((address) => getAddress(address))).toEqual([entryPoint]);

    const delta = world.vault("svDELTA");
    const key = privateKeyToAccount(generatePrivateKey());
    const expiry = (await world.latestTimestamp()) + 3_600n;
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: delta.address,
        abi: sessionKeyCompanionAbi,
        functionName: "grantSessionKey",
        args: [delta.address, key.address, expiry, 1n],
      }),
    );
    const callData = encodeFunctionData({
      abi: superVaultAccountAbi,
      functionName: "executeHooks",
      args: hooksCall(delta, [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000_000n }]),
    });
    const nonce = await world.publicClient.readContract({
      address: entryPoint,
      abi: entryPoint08Abi,
      functionName: "getNonce",
      args: [delta.address, 0n],
    });
    const unsigned: UserOperation<"0.8"> = {
      sender: delta.address,
      nonce,
      callData,
      callGasLimit: 1_500_000n,
      verificationGasLimit: 300_000n,
      preVerificationGas: 100_000n,
      maxFeePerGas: parseGwei("5"),
      maxPriorityFeePerGas: parseGwei("1"),
      signature: "0x",
    };
    const sign = async (op: UserOperation<"0.8">) => {
      const hash = getUserOperationHash({
        chainId: world.manifest.chain_id,
        entryPointAddress: entryPoint,
        entryPointVersion: "0.8",
        userOperation: op,
      });
      return { ...op, signature: await key.sign({ hash }) };
    };
    const op = await sign(unsigned);
    const hash = await client.request({
      method: "eth_sendUserOperation",
      params: [formatUserOperationRequest(op), entryPoint],
    });
    const receipt = await client.waitForUserOperationReceipt({ hash, timeout: 60_000 });
    expect(receipt.success).toBe(true);
    expect(receipt.actualGasCost).toBeGreaterThan(0n);
    const chainReceipt = await world.publicClient.getTransactionReceipt({ hash: receipt.receipt.transactionHash });
    expect(chainReceipt.status).toBe("success");

    // A replay is refused by the bundler (EntryPoint nonce), never bundled.
    await expect(
      client.request({ method: "eth_sendUserOperation", params: [formatUserOperationRequest(op), entryPoint] }),
    ).rejects.toThrow();
  }, 120_000);
});
