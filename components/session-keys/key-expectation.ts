import type { Address } from "viem";
import type { PreparedTxExpectation } from "@/lib/chain/prepared-tx";
import type { ExpiryPreset, KeyOperation } from "@/lib/query/session-keys";
import type { VaultWalletTarget } from "./wallet-check";

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `168h` → 604800: the lifetime the manager picked, which the prepared expiry must not exceed. */
export function presetSeconds(preset: ExpiryPreset): number {
  const match = /^([1-9][0-9]*)([smhd])$/.exec(preset);
  if (!match) throw new Error(`unknown expiry preset ${preset}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/**
 * What the console itself knows about the transaction it is about to hand to the wallet: the
 * deployment's addresses (from the manifest the dashboard server read), the manager's choices and the
 * key readiness reports active. Nothing here comes from the prepared transaction being checked.
 */
export function keyTxExpectation(input: {
  operation: KeyOperation;
  target: VaultWalletTarget;
  currentKey: Address | null;
  expiry: ExpiryPreset | undefined;
  now: Date;
}): PreparedTxExpectation {
  const { operation, target, currentKey, expiry, now } = input;
  return {
    action: operation,
    chainId: target.chainId,
    executor: target.account?.keyHolder ?? target.executor,
    holderName: target.account?.keyHolderName ?? "SessionKeyExecutor",
    strategy: target.strategy,
    currentKey,
    requestedSeconds: expiry ? presetSeconds(expiry) : null,
    maxStipendWei: BigInt(target.maxStipendWei),
    now,
  };
}
