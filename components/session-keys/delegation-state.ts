import { type Address, type Hex, isAddressEqual, slice } from "viem";

/** EIP-7702 delegation designator: the code of a delegated EOA is `0xef0100 || address`. */
const DESIGNATOR = "0xef0100";

export type DelegationStatus =
  | { kind: "delegated" }
  | { kind: "missing" }
  | { kind: "other"; target: Address }
  | { kind: "not-an-eoa" };

/** What `eth_getCode` of the strategy EOA says about its delegation to `implementation`. */
export function delegationStatus(code: Hex | undefined | null, implementation: Address): DelegationStatus {
  if (!code || code === "0x") return { kind: "missing" };
  const isDesignator = code.length === 2 + 2 * 23 && code.toLowerCase().startsWith(DESIGNATOR);
  if (!isDesignator) return { kind: "not-an-eoa" };
  const target = slice(code, 3) as Address;
  return isAddressEqual(target, implementation) ? { kind: "delegated" } : { kind: "other", target };
}
