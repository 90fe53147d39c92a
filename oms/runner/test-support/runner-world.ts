import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { anvil as anvilChain } from "viem/chains";
import { ensureIssuerKey, issueOmsToken } from "../../../lib/auth/issuer";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../../lib/chain/dev-accounts";
import { PreparedTransaction } from "../../../lib/defix/session-keys";
import type { DeploymentManifest, ManifestVault } from "../../../lib/deployment/manifest";
import { deployWorld } from "../../../scripts/deploy/world";
import { type AnvilInstance, startAnvil } from "../../../test/anvil";
import { createOms, type Oms } from "../../app";
import { loadConfig } from "../../config";
import { buildRunnerApp, type RunnerApp } from "../app";
import { loadRunnerConfig } from "../config";

/**
 * The runner's loop end to end: anvil + the deployed dev world + the real OMS over HTTP + the runner, with
 * manager #1's first vault. Short ticks; `runnerEnv` adds runner settings.
 */
export interface RunnerWorld {
  chain: AnvilInstance;
  dir: string;
  manifest: DeploymentManifest;
  vault: ManifestVault;
  oms: Oms;
  omsUrl: string;
  runner: RunnerApp;
  manager: ReturnType<typeof devAccount>;
  /** The manager's bearer header (a fresh OMS token). */
  authorization(): Promise<{ authorization: string }>;
  /** Grants the vault a session key the way the canvas does: prepared calldata, signed by the manager. */
  grantSessionKey(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRunnerWorld(prefix: string, runnerEnv: Record<string, string> = {}): Promise<RunnerWorld> {
  const manager = devAccount(DEV_ACCOUNT_ROLES.managerOne);
  const chain = await startAnvil({ quiet: true });
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const manifest = await deployWorld({ rpcUrl: chain.rpcUrl, dataDir: dir });
  const vault = manifest.vaults.find((v) => v.primary_manager === manager.address.toLowerCase());
  if (!vault) throw new Error("the dev world has no vault managed by account #1");
  const issuer = await ensureIssuerKey(dir);
  const env = {
    DATA_DIR: dir,
    RPC_URL: chain.rpcUrl,
    DEPLOYMENT_FILE: path.join(dir, "deployment.json"),
    OMS_JWT_PUBLIC_KEY_FILE: issuer.publicKeyPath,
    SESSION_KEY_ENCRYPTION_KEY: "5a".repeat(32),
  };
  const oms = await createOms(loadConfig({ ...env, OMS_PORT: "0", NODE_ENV: "test" }), {
    logger: false,
    engine: { waitRetryMs: 100, receiptPollMs: 50 },
    sessionKeys: { readinessCacheMs: 0 },
  });
  const omsUrl = await oms.app.listen({ port: 0, host: "127.0.0.1" });
  const runner = await buildRunnerApp({
    config: loadRunnerConfig({
      ...env,
      OMS_URL: omsUrl,
      RUNNER_TICK_MS: "200",
      RUNNER_LOOP_MS: "100",
      ...runnerEnv,
    }),
    manifest,
    logger: false,
  });

  async function authorization(): Promise<{ authorization: string }> {
    const { token } = await issueOmsToken({ subject: manager.address, dataDir: dir });
    return { authorization: `Bearer ${token}` };
  }

  async function grantSessionKey(): Promise<void> {
    const url = `${omsUrl}/defix/vaults/${vault?.vault_id}/session-key/grant?requested_expiry=24h`;
    const response = await fetch(url, { headers: await authorization() });
    if (response.status !== 200) throw new Error(`grant: ${response.status} ${await response.text()}`);
    const prepared = PreparedTransaction.parse(await response.json());
    const transport = http(chain.rpcUrl);
    const hash = await createWalletClient({ account: manager, chain: anvilChain, transport }).sendTransaction({
      to: prepared.to,
      data: prepared.data,
      value: BigInt(prepared.value),
    });
    const receipt = await createPublicClient({ chain: anvilChain, transport }).waitForTransactionReceipt({
      hash,
      pollingInterval: 50,
    });
    if (receipt.status !== "success") throw new Error(`grant transaction ${hash} reverted`);
  }

  return {
    chain,
    dir,
    manifest,
    vault,
    oms,
    omsUrl,
    runner,
    manager,
    authorization,
    grantSessionKey,
    async stop() {
      await runner.app.close();
      await oms.app.close();
      await chain.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
