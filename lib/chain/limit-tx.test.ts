import { encodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import { checkLimitTransaction, type LimitRequest } from "./limit-tx";

const expectation = {
  chainId: 31337,
  executor: "0x00000000000000000000000000000000000000e1",
  registry: "0x00000000000000000000000000000000000000a1",
  strategy: "0x00000000000000000000000000000000000000c1",
} as const;
const budget: LimitRequest = {
  kind: "budget",
  budget: {
    hook: "0x00000000000000000000000000000000000000b2",
    max_amount: "100000000",
    max_executions: 3,
    period_seconds: 86_400,
    rolling: false,
  },
};
const prepared = (to: `0x${string}`, data: `0x${string}`, value = "0") => ({
  to,
  data,
  value,
  chain_id: 31337,
  session_key_address: null,
  expires_at: null,
});
const setBudget = (maxAmount: bigint) =>
  encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "setBudget",
    args: [expectation.strategy, "0x00000000000000000000000000000000000000b2", maxAmount, 3, 86_400, false],
  });
const pause = encodeFunctionData({ abi: vaultRegistryAbi, functionName: "pause", args: [expectation.strategy] });

describe("checkLimitTransaction", () => {
  it("decodes a set-budget the manager asked for into a preview", () => {
    const check = checkLimitTransaction(prepared(expectation.executor, setBudget(100_000_000n)), budget, expectation);
    expect(check).toMatchObject({
      ok: true,
      summary: { contract: { name: "SessionKeyExecutor" }, functionName: "setBudget" },
    });
    if (check.ok) expect(check.summary.lines[2]).toContain("100000000 base units and 3 executions per 86400 s");
  });

  it("refuses calldata that differs from what the manager entered, the wrong contract, value or function", () => {
    const cases = [
      prepared(expectation.executor, setBudget(100_000_001n)),
      prepared(expectation.registry, setBudget(100_000_000n)),
      prepared(expectation.executor, setBudget(100_000_000n), "1"),
      prepared(expectation.executor, `${setBudget(100_000_000n)}00`),
    ];
    for (const tx of cases) expect(checkLimitTransaction(tx, budget, expectation).ok).toBe(false);
    expect(checkLimitTransaction(prepared(expectation.registry, pause), { kind: "unpause" }, expectation).ok).toBe(
      false,
    );
  });

  it("in an account mode, accepts the budget only on the vault's own key holder and names it in the preview", () => {
    const companion = "0x00000000000000000000000000000000000000f1" as const;
    const onCompanion = {
      ...expectation,
      account: { keyHolderName: "SessionKeyCompanion" as const, keyHolder: companion },
    };
    expect(checkLimitTransaction(prepared(companion, setBudget(100_000_000n)), budget, onCompanion)).toMatchObject({
      ok: true,
      summary: { contract: { name: "SessionKeyCompanion", address: companion }, tx: { to: companion } },
    });
    // The executor does not execute this vault's hooks: a budget there would bind nothing.
    const onExecutor = checkLimitTransaction(
      prepared(expectation.executor, setBudget(100_000_000n)),
      budget,
      onCompanion,
    );
    expect(onExecutor).toMatchObject({ ok: false, code: "PREPARED_TX_REJECTED" });
  });

  it("accepts the registry pause of this vault only", () => {
    expect(checkLimitTransaction(prepared(expectation.registry, pause), { kind: "pause" }, expectation)).toMatchObject({
      ok: true,
      summary: { contract: { name: "VaultRegistry" }, functionName: "pause" },
    });
    const other = encodeFunctionData({
      abi: vaultRegistryAbi,
      functionName: "pause",
      args: ["0x00000000000000000000000000000000000000d1"],
    });
    expect(checkLimitTransaction(prepared(expectation.registry, other), { kind: "pause" }, expectation).ok).toBe(false);
  });
});
