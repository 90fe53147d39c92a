import type { AccountMode } from "../defix/intents";
import {
  type DeploymentManifest,
  type KeyHolderName,
  type ManifestVault,
  sessionKeyHolder,
  sessionKeyHolderName,
  vaultAccountMode,
} from "./manifest";

/**
 * How one vault executes and where its session keys live, as the console shows it (mode badge, key
 * holder, the 7702 delegation). Built on the server from the manifest; client code imports the type only.
 */
export interface VaultAccount {
  mode: AccountMode;
  /** The contract the grant/rotate/revoke transactions must call. */
  keyHolder: `0x${string}`;
  /** The key holder's contract name, as the decoded preview names it. */
  keyHolderName: KeyHolderName;
  /** EIP7702: the strategy EOA and the implementation it must delegate to; null in every other mode. */
  delegation: { eoa: `0x${string}`; implementation: `0x${string}` } | null;
}

export function vaultAccount(manifest: Pick<DeploymentManifest, "contracts">, vault: ManifestVault): VaultAccount {
  const mode = vaultAccountMode(vault);
  const implementation = manifest.contracts.account_7702;
  return {
    mode,
    keyHolder: sessionKeyHolder(manifest, vault),
    keyHolderName: sessionKeyHolderName(vault),
    delegation:
      mode === "EIP7702" && vault.delegate_eoa && implementation ? { eoa: vault.delegate_eoa, implementation } : null,
  };
}
