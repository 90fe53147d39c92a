import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildContracts } from "../../../contracts/build";
import { ensureIssuerKey, issueOmsToken } from "../../../lib/auth/issuer";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import { deployWorld } from "../../deploy/world";
import { startAnvil } from "../../lib/anvil";

/** Extra variables layered over the OMS env (NodeJS.ProcessEnv would demand NODE_ENV). */
export type ExtraEnv = Record<string, string | undefined>;

export interface World {
  dataDir: string;
  rpcUrl: string;
  manifest: DeploymentManifest;
  manifestPath: string;
  /** The public JWK the OMS verifies tokens with (OMS_JWT_PUBLIC_KEY_FILE). */
  publicKeyFile: string;
  /** A bearer token for `subject`, signed by this world's issuer key. */
  token(subject: string, claims?: Record<string, unknown>): Promise<string>;
  /** Env for an OMS process over this world (no DATABASE_URL: SQLite in dataDir). */
  omsEnv(extra?: ExtraEnv): NodeJS.ProcessEnv;
  /**
   * Stops the chain (it writes its state), keeps it down for `downMs` while `during` runs, and starts
   * it again on the same port from that state. Only for a world started with `persistChain`.
   */
  restartChain(downMs: number, during?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** A throwaway anvil with the dev world deployed and an issuer key, all under a temp directory. */
export async function startWorld(
  options: {
    blockTime?: number;
    persistChain?: boolean /** Fixed anvil port (a shared machine's range). */;
    port?: number;
  } = {},
): Promise<World> {
  // Skipped when the sources are unchanged; a clean checkout has no contracts/out yet.
  buildContracts({ writeGenerated: false });
  const dataDir = mkdtempSync(path.join(tmpdir(), "defix-bench-"));
  const statePath = options.persistChain ? path.join(dataDir, "anvil-state.json") : undefined;
  let anvil = await startAnvil({ quiet: true, blockTime: options.blockTime, statePath, port: options.port });
  try {
    const manifestPath = path.join(dataDir, "deployment.json");
    const manifest = await deployWorld({ rpcUrl: anvil.rpcUrl, dataDir, manifestPath });
    const issuer = await ensureIssuerKey(dataDir);
    const viewer = manifest.accounts.find((account) => account.label === "viewer");
    const vaultA = manifest.vaults[0]?.vault_id ?? "";
    return {
      dataDir,
      rpcUrl: anvil.rpcUrl,
      manifest,
      manifestPath,
      publicKeyFile: issuer.publicKeyPath,
      async token(subject, claims) {
        return (await issueOmsToken({ subject, claims, dataDir, ttlSeconds: 3_600 })).token;
      },
      omsEnv(extra = {}) {
        return {
          ...process.env,
          NODE_ENV: "production",
          DATA_DIR: dataDir,
          DEPLOYMENT_FILE: manifestPath,
          RPC_URL: anvil.rpcUrl,
          OMS_JWT_PUBLIC_KEY_FILE: issuer.publicKeyPath,
          OMS_LOG_LEVEL: "warn",
          // Benches and harnesses measure throughput from one account; a check of the limits passes "on".
          OMS_RATE_LIMIT: "off",
          VIEW_ONLY: viewer ? `${viewer.address}=${vaultA}` : "",
          ...extra,
        };
      },
      async restartChain(downMs, during) {
        if (statePath === undefined) throw new Error("restartChain needs a world started with persistChain");
        const { port } = anvil;
        await anvil.stop();
        const restartAt = Date.now() + downMs;
        await during?.();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, restartAt - Date.now())));
        anvil = await startAnvil({ quiet: true, blockTime: options.blockTime, statePath, port });
      },
      async stop() {
        await anvil.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await anvil.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
