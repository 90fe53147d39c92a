import { type Address, decodeFunctionData, encodeFunctionData, type Hex, isAddressEqual } from "viem";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import { ErrorCode } from "../defix/errors";
import type { BudgetRequest } from "../defix/limits";
import type { PreparedTransaction } from "../defix/session-keys";
import type { KeyHolderName } from "../deployment/manifest";
import type { VaultAccount } from "../deployment/vault-account";

/**
 * The browser's check of a prepared limit transaction (issue 20) before the wallet sees it, as
 * `prepared-tx.ts` does for keys: everything trusted comes from the console (manifest, the manager's input),
 * never from the transaction. Answers the decoded preview the manager reads before signing.
 */

export type LimitRequest =
  | { kind: "budget"; budget: BudgetRequest }
  | { kind: "pause" }
  | { kind: "unpause" }
  | { kind: "guardian"; guardian: Address; enabled: boolean };

export interface LimitTxExpectation {
  chainId: number;
  executor: Address;
  registry: Address;
  strategy: Address;
  /**
   * Where the vault's budgets live in its account mode (the executor, the vault account, the companion or the 7702
   * EOA); absent = the executor (OMS mode).
   */
  account?: Pick<VaultAccount, "keyHolder" | "keyHolderName">;
}

export interface LimitTxSummary {
  contract: { name: KeyHolderName | "VaultRegistry"; address: Address };
  functionName: "setBudget" | "pause" | "unpause" | "setGuardian";
  /** The decoded arguments in words, in order. */
  lines: string[];
  tx: { to: Address; data: Hex; value: bigint; chainId: number };
}

export type LimitTxCheck =
  | { ok: true; summary: LimitTxSummary }
  | { ok: false; code: typeof ErrorCode.PREPARED_TX_REJECTED; reason: string };

const FUNCTION = { budget: "setBudget", pause: "pause", unpause: "unpause", guardian: "setGuardian" } as const;

function refusal(reason: string): LimitTxCheck {
  return { ok: false, code: ErrorCode.PREPARED_TX_REJECTED, reason };
}

export function checkLimitTransaction(
  prepared: PreparedTransaction,
  request: LimitRequest,
  expect: LimitTxExpectation,
): LimitTxCheck {
  if (prepared.chain_id !== expect.chainId)
    return refusal(`it is for chain ${prepared.chain_id}, not ${expect.chainId}`);
  if (BigInt(prepared.value) !== 0n) return refusal(`it sends ${prepared.value} wei; a limit change sends none`);
  const onExecutor = request.kind === "budget";
  const holder = expect.account
    ? { name: expect.account.keyHolderName, address: expect.account.keyHolder }
    : { name: "SessionKeyExecutor" as const, address: expect.executor };
  const contract: LimitTxSummary["contract"] = onExecutor
    ? holder
    : { name: "VaultRegistry", address: expect.registry };
  if (!isAddressEqual(prepared.to, contract.address)) {
    return refusal(`it is addressed to ${prepared.to}, not to this deployment's ${contract.name} ${contract.address}`);
  }
  const expected = FUNCTION[request.kind];
  // Every key holder has the executor's budget ABI (SessionKeyValidation).
  const abi = onExecutor ? sessionKeyExecutorAbi : vaultRegistryAbi;
  let call: { functionName: string; args?: readonly unknown[] };
  try {
    call = decodeFunctionData({ abi, data: prepared.data }) as { functionName: string; args?: readonly unknown[] };
  } catch {
    return refusal(`its calldata does not decode as a ${contract.name} call`);
  }
  if (call.functionName !== expected)
    return refusal(`it calls ${call.functionName}, but this change must call ${expected}`);
  const args = call.args ?? [];
  if (!isAddressEqual(args[0] as Address, expect.strategy))
    return refusal(`it changes vault ${String(args[0])}, not this one`);
  const wanted = wantedArgs(request, expect.strategy);
  const canonical = encodeFunctionData({ abi, functionName: expected, args: wanted } as Parameters<
    typeof encodeFunctionData
  >[0]);
  if (canonical !== prepared.data.toLowerCase()) {
    return refusal(`its ${expected} arguments are not the ones you entered`);
  }
  return {
    ok: true,
    summary: {
      contract: { name: contract.name, address: contract.address.toLowerCase() as Address },
      functionName: expected,
      lines: describeLimit(request, expect.strategy),
      tx: { to: contract.address, data: prepared.data, value: 0n, chainId: expect.chainId },
    },
  };
}

function wantedArgs(request: LimitRequest, strategy: Address): readonly unknown[] {
  switch (request.kind) {
    case "budget": {
      const b = request.budget;
      return [strategy, b.hook, BigInt(b.max_amount), b.max_executions, b.period_seconds, b.rolling];
    }
    case "guardian":
      return [strategy, request.guardian, request.enabled];
    default:
      return [strategy];
  }
}

function describeLimit(request: LimitRequest, strategy: Address): string[] {
  const vault = `Vault ${strategy.toLowerCase()}`;
  switch (request.kind) {
    case "budget": {
      const b = request.budget;
      return [
        vault,
        `Hook ${b.hook}`,
        b.period_seconds === 0
          ? "Removes the budget (unlimited)"
          : `At most ${b.max_amount === "0" ? "any amount" : `${b.max_amount} base units`} and ${b.max_executions === 0 ? "any number of" : b.max_executions} executions per ${b.period_seconds} s, ${b.rolling ? "rolling" : "fixed"} window`,
      ];
    }
    case "guardian":
      return [vault, `${request.enabled ? "Names" : "Removes"} guardian ${request.guardian}`];
    case "pause":
      return [
        vault,
        "Pauses automation: every session key of this vault is refused until the primary manager unpauses",
      ];
    case "unpause":
      return [vault, "Lifts the pause: session keys may execute again"];
  }
}
