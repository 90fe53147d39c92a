import { type Abi, BaseError, decodeErrorResult, type Hex } from "viem";
import { devAssetAbi, sessionKeyExecutorAbi, superVaultAbi, yieldSourceAbi } from "../../contracts/generated/abis";
import type { DecodedRevert } from "./gateway";

/** Every custom error the executor → vault → hook → yield source call path can raise. */
const ERRORS_ABI: Abi = [...sessionKeyExecutorAbi, ...superVaultAbi, ...yieldSourceAbi, ...devAssetAbi].filter(
  (item) => item.type === "error",
);

/** Finds revert data anywhere in a viem error's cause chain. */
export function revertDataOf(error: unknown): Hex | null {
  if (!(error instanceof BaseError)) return null;
  const found = error.walk((cause) => typeof (cause as { data?: unknown }).data === "string");
  const data = (found as { data?: unknown } | null)?.data;
  return typeof data === "string" && data.startsWith("0x") ? (data as Hex) : null;
}

export function decodeRevertData(data: Hex): DecodedRevert {
  try {
    const decoded = decodeErrorResult({ abi: ERRORS_ABI, data });
    const args = (decoded.args ?? []).map((arg) => String(arg));
    return { name: decoded.errorName, args, message: `${decoded.errorName}(${args.join(", ")})` };
  } catch (error) {
    if (data === "0x") return { name: "EmptyRevert", args: [], message: "reverted without data" };
    // Unknown selector: keep the raw data so an operator can still look it up.
    const reason = error instanceof Error ? error.name : "undecodable";
    return {
      name: "UnknownError",
      args: [data],
      message: `reverted with unknown data ${data.slice(0, 74)} (${reason})`,
    };
  }
}

/** The decoded revert of a failed call, or null when the failure was not a revert (node down, …). */
export function decodeRevert(error: unknown): DecodedRevert | null {
  const data = revertDataOf(error);
  if (data !== null) return decodeRevertData(data);
  if (error instanceof BaseError && /revert/i.test(error.shortMessage)) {
    return { name: "Reverted", args: [], message: error.shortMessage };
  }
  return null;
}
