import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { createPublicClient, http } from "viem";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import { type ChainRoleDirectoryOptions, createChainRoleDirectory } from "../../lib/roles/directory";
import { registerRoutes } from "../kernel/route";
import { createServiceApp } from "../kernel/service-app";
import { createTokenVerifier, type KeySource } from "../kernel/token-verifier";
import { type ChainReader, createChainReader } from "./chain";
import { RUNNER_BODY_LIMIT_BYTES, type RunnerConfig } from "./config";
import { createEngine, type Engine } from "./engine";
import { startKillSwitchReporter } from "./kill-switch-reporter";
import { createOmsClient, type OmsClient } from "./oms-client";
import { runnerRoutes } from "./routes";
import { seedsFromManifest } from "./seed";
import { serviceTokenSource } from "./service-token";
import { createRunnerDb } from "./store/db";
import { OpenIntentRepository } from "./store/open-intents-repo";
import { StrategyRepository } from "./store/strategy-repo";

export interface RunnerAppOptions {
  config: RunnerConfig;
  manifest: DeploymentManifest;
  /** Test seams: replace the OMS, the chain or the registry's role reads; defaults build the real ones. */
  oms?: OmsClient;
  chain?: ChainReader;
  registry?: ChainRoleDirectoryOptions["client"];
  /** Verify tokens with this key instead of the configured JWKS URL / key file. */
  tokenKey?: KeySource;
  logger?: FastifyServerOptions["logger"];
  /** Engine clock, for tests that step tick intervals. */
  now?: () => number;
}

export interface RunnerApp {
  app: FastifyInstance;
  engine: Engine;
  repo: StrategyRepository;
}

/** Builds the runner (store migrated and seeded, routes, engine not yet started); closing the app stops everything. */
export async function buildRunnerApp(options: RunnerAppOptions): Promise<RunnerApp> {
  const { config, manifest } = options;
  const store = await createRunnerDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  const repo = new StrategyRepository(store.db);
  await repo.seed(seedsFromManifest(manifest), config.tickMs);

  const chain =
    options.chain ??
    createChainReader({
      rpcUrl: config.rpcUrl,
      decimals: manifest.contracts.asset.decimals,
    });
  const oms =
    options.oms ??
    createOmsClient({
      baseUrl: config.omsUrl,
      token: serviceTokenSource({ dataDir: config.dataDir, vaultIds: manifest.vaults.map((v) => v.vault_id) }),
    });
  // The same token check and role directory as the OMS: a role the OMS refuses, the runner refuses too.
  const verifier = createTokenVerifier(config.jwt, options.tokenKey);
  const directory = createChainRoleDirectory({
    client: options.registry ?? createPublicClient({ transport: http(config.rpcUrl, { timeout: 10_000 }) }),
    manifest,
    viewOnly: config.viewOnly,
    cacheMs: config.roleCacheMs,
  });

  const app = createServiceApp({ logger: options.logger ?? true, bodyLimit: RUNNER_BODY_LIMIT_BYTES });
  const killSwitch = startKillSwitchReporter({
    repo,
    oms,
    vaultIds: manifest.vaults.map((vault) => vault.vault_id),
    log: app.log,
  });
  const engine = createEngine({
    repo,
    openIntents: new OpenIntentRepository(store.db),
    maxWaiting: config.maxWaitingPerStrategy,
    oms,
    chain,
    manifest,
    loopMs: config.loopMs,
    log: app.log,
    now: options.now,
  });
  registerRoutes(
    app,
    runnerRoutes({
      repo,
      verifier,
      directory,
      onKillSwitch: killSwitch.report,
      preview: engine.preview,
      maxWaitingApprovals: config.maxWaitingPerStrategy,
    }),
  );
  app.addHook("onClose", async () => {
    killSwitch.stop();
    await engine.stop();
    await store.close();
  });
  return { app, engine, repo };
}
