import { encodeErrorResult, parseTransaction, recoverTransactionAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { superVaultAbi } from "../../contracts/generated/abis";
import { revertCode } from "../engine/planner";
import { decodeRevertData } from "./revert";
import { bumpFees, signExecutionTx } from "./signing";

describe("replacement fees", () => {
  it("bumps both fees by at least 12.5%", () => {
    const previous = { maxFeePerGas: 1_000_000n, maxPriorityFeePerGas: 80_000n };
    const next = bumpFees(previous, { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n });
    expect(next.maxFeePerGas * 1000n).toBeGreaterThanOrEqual(previous.maxFeePerGas * 1125n);
    expect(next.maxPriorityFeePerGas * 1000n).toBeGreaterThanOrEqual(previous.maxPriorityFeePerGas * 1125n);
  });

  it("follows the market when it moved further", () => {
    const next = bumpFees(
      { maxFeePerGas: 10n, maxPriorityFeePerGas: 1n },
      { maxFeePerGas: 500n, maxPriorityFeePerGas: 7n },
    );
    expect(next).toEqual({ maxFeePerGas: 500n, maxPriorityFeePerGas: 7n });
  });
});

describe("signing", () => {
  it("produces a raw EIP-1559 transaction from the key with the given nonce", async () => {
    const key = privateKeyToAccount(`0x${"42".repeat(32)}`);
    const fees = { maxFeePerGas: 3n, maxPriorityFeePerGas: 1n };
    const tx = { chainId: 31337, to: key.address, data: "0x1234" as const, gas: 50_000n, nonce: 7, fees };
    const { raw } = await signExecutionTx(key, tx);
    expect(parseTransaction(raw)).toMatchObject({ nonce: 7, chainId: 31337, gas: 50_000n, type: "eip1559" });
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).toBe(key.address);
  });
});

describe("revert decoding", () => {
  it("decodes the vault's custom errors and maps them to intent error codes", () => {
    const data = encodeErrorResult({ abi: superVaultAbi, errorName: "SlippageExceeded", args: [0n, 990n, 995n] });
    const revert = decodeRevertData(data);
    expect(revert).toMatchObject({ name: "SlippageExceeded", message: "SlippageExceeded(0, 990, 995)" });
    expect(revertCode(revert)).toBe("SLIPPAGE");
    expect(revertCode(decodeRevertData("0xdeadbeef"))).toBe("SIMULATION_REVERTED");
  });
});
