import type { LocalAccount } from "viem";
import type { Readiness } from "../../lib/defix/session-keys";

/** What the engine needs from session keys (docs/ARCHITECTURE.md, "Engine ↔ keys interface"). */
export interface SessionKeyProvider {
  /** The chain is the truth; cached ≤ 5 s and refreshed after the OMS's own changes. */
  readiness(vaultId: string): Promise<Readiness>;
  /** The viem account of the vault's valid key, or null when the vault is not ready. */
  signerFor(vaultId: string): Promise<LocalAccount | null>;
  /**
   * The OMS's own transaction (or user operation) of this vault was mined: budget use, the key's gas balance
   * and the account's deposit changed, so the next readiness reads the chain instead of the cache.
   */
  executionMined(vaultId: string): void;
}
