import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { createPublicClient, createWalletClient, http } from "viem";
import { signSiwe } from "../../lib/auth/script-siwe";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { VaultCosts } from "../../lib/defix/costs";
import type { IntentEvent } from "../../lib/defix/events";
import type { Intent } from "../../lib/defix/intents";
import type { PreparedTransaction, Readiness } from "../../lib/defix/session-keys";
import { type DeploymentManifest, loadManifest, type ManifestVault } from "../../lib/deployment/manifest";
import type { StackInfo } from "../fixtures/env";

/**
 * Drives the system under test through its public APIs, as a script with a bearer token would:
 * submits intents to the OMS and signs session-key transactions with a dev key. Re-exported by
 * intents-page.ts, where the specs have always found it.
 */
export class OmsDriver {
  private token: string | null = null;

  constructor(
    private readonly request: APIRequestContext,
    private readonly stack: StackInfo,
    private readonly accountIndex: number,
  ) {}

  get manifest(): DeploymentManifest {
    return loadManifest(path.join(this.stack.dataDir, "deployment.json"));
  }

  vault(name: string): ManifestVault {
    const vault = this.manifest.vaults.find(
      (candidate) => candidate.name.includes(name) || candidate.vault_id === name,
    );
    if (!vault) throw new Error(`no vault "${name}" in the manifest`);
    return vault;
  }

  /** A bearer token the way scripts get one: a SIWE message signed by the dev key. */
  async bearer(): Promise<string> {
    if (this.token) return this.token;
    const account = devAccount(this.accountIndex);
    const base = new URL(this.stack.webUrl);
    const nonceResponse = await this.request.post(new URL("/api/auth/nonce", base).href);
    const { nonce } = (await nonceResponse.json()) as { nonce: string };
    const { message, signature } = await signSiwe(account, { base, chainId: this.stack.chainId, nonce });
    const response = await this.request.post(new URL("/api/auth/token", base).href, { data: { message, signature } });
    if (!response.ok()) throw new Error(`token request failed: ${response.status()} ${await response.text()}`);
    this.token = ((await response.json()) as { token: string }).token;
    return this.token;
  }

  private async oms<T>(method: "GET" | "POST", pathname: string, body?: unknown): Promise<T> {
    const response = await this.request.fetch(`${this.stack.omsUrl}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${await this.bearer()}` },
      data: body,
    });
    if (!response.ok()) throw new Error(`${method} ${pathname}: ${response.status()} ${await response.text()}`);
    return (await response.json()) as T;
  }

  readiness(vaultId: string): Promise<Readiness> {
    return this.oms("GET", `/defix/vaults/${vaultId}/session-key/readiness`);
  }

  /** Puts the vault's on-chain limits back (issue 20): unpaused, no budget on any hook. */
  async clearLimits(vaultId: string): Promise<void> {
    const readiness = await this.readiness(vaultId);
    if (readiness.limits?.paused) await this.send(await this.oms("POST", `/defix/vaults/${vaultId}/limits/unpause`));
    for (const budget of readiness.limits?.budgets ?? []) {
      const body = { hook: budget.hook, max_amount: "0", max_executions: 0, period_seconds: 0, rolling: false };
      await this.send(await this.oms("POST", `/defix/vaults/${vaultId}/limits/budget`, body));
    }
  }
  /** Pauses the vault on-chain as this account (the primary manager or a guardian it named). */
  async pauseOnChain(vaultId: string): Promise<void> {
    await this.send(await this.oms("POST", `/defix/vaults/${vaultId}/limits/pause`));
  }

  /** Names or removes a guardian of the vault (this account must be its primary manager). */
  async setGuardian(vaultId: string, guardian: `0x${string}`, enabled: boolean): Promise<void> {
    const body = { guardian: guardian.toLowerCase(), enabled };
    await this.send(await this.oms("POST", `/defix/vaults/${vaultId}/limits/guardian`, body));
  }

  /** Signs and sends prepared session-key calldata with the dev key, as the manager's wallet would. */
  private async send(prepared: PreparedTransaction): Promise<`0x${string}`> {
    const wallet = createWalletClient({ account: devAccount(this.accountIndex), transport: http(this.stack.rpcUrl) });
    const chain = {
      id: this.stack.chainId,
      name: "local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [this.stack.rpcUrl] } },
    };
    const hash = await wallet.sendTransaction({
      chain,
      to: prepared.to,
      data: prepared.data,
      value: BigInt(prepared.value),
    });
    const client = createPublicClient({ transport: http(this.stack.rpcUrl) });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`session-key transaction ${hash} reverted`);
    return hash;
  }

  private async waitForReadiness(vaultId: string, isReady: boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if ((await this.readiness(vaultId)).is_ready === isReady) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`readiness of ${vaultId} never became ${isReady}`);
  }

  async ensureSessionKey(vaultId: string): Promise<void> {
    if ((await this.readiness(vaultId)).is_ready) return;
    await this.send(await this.oms("GET", `/defix/vaults/${vaultId}/session-key/grant?requested_expiry=24h`));
    await this.waitForReadiness(vaultId, true);
  }

  async ensureNoSessionKey(vaultId: string): Promise<void> {
    if (!(await this.readiness(vaultId)).is_ready) return;
    await this.send(await this.oms("GET", `/defix/vaults/${vaultId}/session-key/revoke`));
    await this.waitForReadiness(vaultId, false);
  }

  /**
   * A DEPOSIT of a unique small size (unique: submit is idempotent) into the vault's first yield source, or
   * into `yieldSource`.
   */
  submitDeposit(
    vault: ManifestVault,
    strategyId = "e2e-inflow",
    options: { badProof?: boolean; size?: bigint; yieldSource?: string } = {},
  ): Promise<Intent> {
    const hook = vault.merkle.hooks.find(
      (candidate) =>
        candidate.name === "Deposit4626Hook" &&
        (options.yieldSource === undefined || candidate.yield_source === options.yieldSource.toLowerCase()),
    );
    if (!hook) throw new Error(`${vault.name} has no deposit hook`);
    const size = String(options.size ?? 1_000_000 + Math.floor(Math.random() * 1_000_000));
    return this.oms("POST", "/defix/intents", {
      vault_id: vault.vault_id,
      strategy_id: strategyId,
      action: "DEPOSIT",
      action_config: {
        size_expr: size,
        execution_name: hook.name,
        execution_address: hook.hook,
        target_address: hook.yield_source,
        from_address: vault.address,
        max_slippage_bps: 100,
        execution_params: {},
      },
      auth_signing: {
        root: vault.merkle.root,
        // A proof that does not verify: the OMS accepts the intent, then aborts it at ACK (MERKLE_PROOF_INVALID).
        proofs: [
          {
            hook: hook.hook,
            hook_args: hook.hook_args,
            proof: options.badProof ? [`0x${"ab".repeat(32)}`] : hook.proof,
          },
        ],
      },
      ttl_seconds: 600,
    });
  }

  /** The strategy's intents that have not ended, oldest first. */
  async openIntents(vaultId: string, strategyId: string): Promise<Intent[]> {
    const query = new URLSearchParams({ vault_id: vaultId, strategy_id: strategyId, limit: "50" });
    const list = await this.oms<{ data: Intent[] }>("GET", `/defix/intents?${query}`);
    return list.data
      .filter((intent) => intent.completed_at === null)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  cancel(id: string): Promise<Intent> {
    return this.oms("POST", `/defix/intents/${id}/cancel`, {});
  }

  intent(id: string): Promise<Intent> {
    return this.oms("GET", `/defix/intents/${id}`);
  }

  /** The OMS's cost figures for a vault, straight from its API (what the Costs page must agree with). */
  costs(vaultId: string, query: string): Promise<VaultCosts> {
    return this.oms("GET", `/defix/vaults/${encodeURIComponent(vaultId)}/costs?${query}`);
  }

  async events(id: string): Promise<IntentEvent[]> {
    return (await this.oms<{ events: IntentEvent[] }>("GET", `/defix/intents/${id}/events?limit=500`)).events;
  }

  /** Polls the OMS (not the page) until the intent is in `state`. */
  async waitForState(id: string, state: string, timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.intent(id)).state !== state) {
      if (Date.now() > deadline) throw new Error(`intent ${id} did not reach ${state} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The chain's own answer: the receipt of a hash shown in the UI. */
  receipt(hash: `0x${string}`) {
    return createPublicClient({ transport: http(this.stack.rpcUrl) }).getTransactionReceipt({ hash });
  }

  async setOms(running: boolean): Promise<void> {
    if (!this.stack.controlUrl) throw new Error("no control server: the suite runs against an external stack");
    // A start waits for the OMS to answer /health: a tsx boot takes well over the default 15 s on a busy machine.
    const response = await this.request.post(`${this.stack.controlUrl}/oms/${running ? "start" : "stop"}`, {
      timeout: 120_000,
    });
    if (!response.ok()) throw new Error(`OMS ${running ? "start" : "stop"} failed: ${response.status()}`);
  }
}
