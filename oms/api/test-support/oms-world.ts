import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http, type PublicClient } from "viem";
import { foundry } from "viem/chains";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import { deployWorld } from "../../../scripts/deploy/world";
import { type BundlerInstance, startBundler } from "../../../scripts/lib/bundler";
import { type AnvilInstance, startAnvil } from "../../../test/anvil";
import { createOms, type Oms } from "../../app";
import { loadConfig } from "../../config";
import { FAST_ENGINE } from "../../engine/test-support/harness";
import { createTestIssuer, type TestIssuer } from "../../kernel/test-support/tokens";
import type { Dialect } from "../../store/db";
import { createTestDatabase, type TestDatabase } from "../../store/test-support/databases";
import { type ApiCall, apiCaller } from "./api-call";

export interface OmsWorld {
  anvil: AnvilInstance;
  manifest: DeploymentManifest;
  client: PublicClient;
  oms: Oms;
  issuer: TestIssuer;
  database: TestDatabase;
  baseUrl: string;
  bearer(sub: string, claims?: Record<string, unknown>): Promise<{ authorization: string }>;
  /** A request to this OMS as `sub` (`null`: no token); see `apiCaller`. */
  api: ApiCall;
  /** Sends `{to, data, value}` from a dev account and waits for a successful receipt. */
  sendAs(accountIndex: number, tx: { to: string; data: string; value: string }): Promise<void>;
  countIntents(): Promise<number>;
  /**
   * Another OMS process on the same chain, database and keys (PostgreSQL only: SQLite serves one process),
   * listening on its own port; `env` overrides this world's. Stopped by `stop()`.
   */
  startSibling(env?: Record<string, string>): Promise<{ oms: Oms; baseUrl: string }>;
  stop(): Promise<void>;
}

/**
 * The real OMS (createOms: real store, engine, session keys, API) listening on a free port, over its
 * own anvil with the dev world deployed and its own database. Tokens are verified against a JWK file,
 * as `start` configures it.
 */
export async function startOmsWorld(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { bundlerPort?: number; bundlerDebug?: boolean } = {},
): Promise<OmsWorld> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "oms-api-"));
  const anvil = await startAnvil({ quiet: true });
  const database = await createTestDatabase(dialect);
  let bundler: BundlerInstance | undefined;
  try {
    const manifestPath = path.join(dataDir, "deployment.json");
    const manifest = await deployWorld({ rpcUrl: anvil.rpcUrl, manifestPath });
    // The EIP4337 modes: a real alto against this anvil, handed to the OMS as BUNDLER_URL.
    if (options.bundlerPort !== undefined && manifest.contracts.entry_point !== undefined) {
      bundler = await startBundler({
        rpcUrl: anvil.rpcUrl,
        entryPoint: manifest.contracts.entry_point,
        port: options.bundlerPort,
        debugEndpoints: options.bundlerDebug,
      });
      env = { ...env, BUNDLER_URL: bundler.url };
    }
    const issuer = await createTestIssuer();
    const jwkPath = path.join(dataDir, "issuer.jwk.json");
    writeFileSync(jwkPath, JSON.stringify(issuer.publicJwk));
    const viewer = devAccount(3).address;
    const configEnv: Record<string, string> = {
      DATA_DIR: dataDir,
      RPC_URL: anvil.rpcUrl,
      DEPLOYMENT_FILE: manifestPath,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      OMS_JWT_PUBLIC_KEY_FILE: jwkPath,
      OMS_WORKERS: "2",
      OMS_ROLE_CACHE_MS: "0",
      SESSION_KEY_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      VIEW_ONLY: `${viewer}=${manifest.vaults[0]?.vault_id ?? ""}`,
      ...env,
    };
    const config = loadConfig(configEnv);
    if (!database.databaseUrl) config.sqlitePath = database.sqlitePath;
    const listen = async (instance: Oms) => {
      await instance.app.listen({ port: 0, host: "127.0.0.1" });
      return `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`;
    };
    const engineOptions = { heartbeatMs: 200, engine: FAST_ENGINE, sessionKeys: { readinessCacheMs: 0 } };
    const oms = await createOms(config, engineOptions);
    const baseUrl = await listen(oms);
    const siblings: Oms[] = [];
    const client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl), pollingInterval: 50 });
    const bearer = async (sub: string, claims?: Record<string, unknown>) => ({
      authorization: `Bearer ${await issuer.sign({ sub: sub.toLowerCase(), claims })}`,
    });
    return {
      anvil,
      manifest,
      client,
      oms,
      issuer,
      database,
      baseUrl,
      bearer,
      api: apiCaller(baseUrl, bearer),
      async sendAs(accountIndex, tx) {
        const wallet = createWalletClient({
          account: devAccount(accountIndex),
          chain: foundry,
          transport: http(anvil.rpcUrl),
        });
        const hash = await wallet.sendTransaction({
          to: tx.to as `0x${string}`,
          data: tx.data as `0x${string}`,
          value: BigInt(tx.value),
          chain: { ...foundry, id: manifest.chain_id },
        });
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
        if (receipt.status !== "success") throw new Error("transaction reverted");
      },
      async countIntents() {
        const row = await oms.db.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      },
      async startSibling(overrides = {}) {
        if (!database.databaseUrl) throw new Error("a sibling OMS needs PostgreSQL");
        const sibling = await createOms(loadConfig({ ...configEnv, ...overrides }), engineOptions);
        siblings.push(sibling);
        return { oms: sibling, baseUrl: await listen(sibling) };
      },
      async stop() {
        for (const instance of [...siblings, oms]) {
          instance.app.server.closeAllConnections();
          await instance.app.close();
        }
        await bundler?.stop();
        await database.destroy();
        await anvil.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await bundler?.stop();
    await database.destroy();
    await anvil.stop();
    throw error;
  }
}

export async function poll<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
