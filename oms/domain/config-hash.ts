import type { SubmitIntent } from "../../lib/defix";
import { canonicalJson } from "../../lib/defix/audit-chain";
import { keccak256 } from "../kernel/keccak";

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
