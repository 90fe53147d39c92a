import type { SubmitIntent } from "../../lib/defix";
import { keccak256 } from "../kernel/keccak";

/** JSON with object keys sorted at every depth, so equal configs hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key's hash. Deadline/ttl and objective are deliberately not part of it: a client
 * retrying the same submission with a fresh deadline still gets the intent it already created.
 */
export function configHash(input: SubmitIntent): `0x${string}` {
  return keccak256(
    canonicalJson({
      vault_id: input.vault_id,
      action: input.action,
      action_config: input.action_config,
      strategy_id: input.strategy_id ?? null,
      account_mode: input.account_mode,
      auth_signing: input.auth_signing,
    }),
  );
}
