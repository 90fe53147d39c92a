import { type Address, type Hex, hexToBytes, toHex } from "viem";
import { encodeHookArgs } from "../../lib/chain/hooks-tree";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { IntentRecord } from "./record";

export interface HookCall {
  kind: "deposit" | "redeem";
  hook: Address;
  hookArgs: Hex;
  /** The yield source the hook touches. */
  source: Address;
}

/** The yield source a REBALANCE moves into. */
export function rebalanceDestination(record: Pick<IntentRecord, "action_config">): Address | null {
  const to = record.action_config.execution_params.to_yield_source;
  return typeof to === "string" && /^0x[0-9a-fA-F]{40}$/.test(to) ? (to.toLowerCase() as Address) : null;
}

/** Which hooks an intent runs, in order. Amounts are not part of it: they are sized at planning. */
export function hookCalls(
  record: Pick<IntentRecord, "action" | "action_config">,
  manifest: DeploymentManifest,
): HookCall[] {
  const config = record.action_config;
  const target = config.target_address;
  if (record.action === "DEPOSIT") {
    return [{ kind: "deposit", hook: config.execution_address, hookArgs: encodeHookArgs(target), source: target }];
  }
  if (record.action === "WITHDRAWAL") {
    return [{ kind: "redeem", hook: config.execution_address, hookArgs: encodeHookArgs(target), source: target }];
  }
  const destination = rebalanceDestination(record);
  if (destination === null) return [];
  return [
    { kind: "redeem", hook: manifest.contracts.hooks.redeem4626, hookArgs: encodeHookArgs(target), source: target },
    {
      kind: "deposit",
      hook: manifest.contracts.hooks.deposit4626,
      hookArgs: encodeHookArgs(destination),
      source: destination,
    },
  ];
}

/** The older single-hook form may carry the proof as one hex string of concatenated 32-byte nodes. */
function splitProof(proof: readonly Hex[] | Hex): Hex[] | null {
  if (Array.isArray(proof)) return [...proof];
  const bytes = hexToBytes(proof as Hex);
  if (bytes.length % 32 !== 0) return null;
  return Array.from({ length: bytes.length / 32 }, (_, i) => toHex(bytes.slice(i * 32, (i + 1) * 32)));
}

/**
 * The proof of each call: from `auth_signing.proofs` (matched by hook and args, in order) or, for a
 * single-hook intent, `auth_signing.proof`. null when the intent does not carry one per call.
 */
export function proofsFor(record: Pick<IntentRecord, "auth_signing">, calls: readonly HookCall[]): Hex[][] | null {
  const { proofs, proof } = record.auth_signing;
  if (proofs !== undefined) {
    if (proofs.length !== calls.length) return null;
    const matched = calls.map((call, i) => {
      const entry = proofs[i];
      const isSame =
        entry !== undefined &&
        entry.hook.toLowerCase() === call.hook.toLowerCase() &&
        entry.hook_args.toLowerCase() === call.hookArgs.toLowerCase();
      return isSame ? [...entry.proof] : null;
    });
    return matched.every((p) => p !== null) ? (matched as Hex[][]) : null;
  }
  if (proof !== undefined && calls.length === 1) {
    const single = splitProof(proof);
    return single === null ? null : [single];
  }
  return null;
}
