import { createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import type { World } from "../../bench/lib/world";

/**
 * Grants the vault's session key the way a manager does: the OMS prepares `{to, data, value}`, the
 * primary manager's dev wallet signs and sends it, then readiness is polled until the OMS sees it.
 */
export async function grantSessionKey(
  world: Pick<World, "token" | "manifest" | "rpcUrl">,
  omsUrl: string,
  vault: ManifestVault,
): Promise<string> {
  const headers = { authorization: `Bearer ${await world.token(vault.primary_manager)}` };
  const base = `${omsUrl}/defix/vaults/${vault.vault_id}/session-key`;
  const response = await fetch(`${base}/grant?requested_expiry=168h`, { headers });
  if (response.status !== 200)
    throw new Error(`grant prepare answered HTTP ${response.status}: ${await response.text()}`);
  const prepared = (await response.json()) as { to: `0x${string}`; data: `0x${string}`; value: string };
  const index = world.manifest.accounts.find((account) => account.address === vault.primary_manager)?.index;
  if (index === undefined) throw new Error("the primary manager is not a dev account");
  const wallet = createWalletClient({
    account: devAccount(index),
    chain: { ...foundry, id: world.manifest.chain_id },
    transport: http(world.rpcUrl),
  });
  await wallet.sendTransaction({ to: prepared.to, data: prepared.data, value: BigInt(prepared.value) });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const readiness = (await (await fetch(`${base}/readiness`, { headers })).json()) as {
      is_ready?: boolean;
      session_key_address?: string | null;
    };
    if (readiness.is_ready && readiness.session_key_address) return readiness.session_key_address;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`session key of ${vault.vault_id} never became ready`);
}
