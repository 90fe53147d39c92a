import Fastify, { type FastifyInstance } from "fastify";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import {
  createRoleResolver,
  createTokenVerifier,
  loadVerificationKey,
  type RoleResolver,
  type TokenVerifier,
} from "./auth";
import { type ChainReader, createChainReader } from "./chain";
import type { RunnerConfig } from "./config";
import { createEngine, type Engine } from "./engine";
import { registerErrorHandling } from "./errors";
import { createOmsClient, type OmsClient } from "./oms-client";
import { registerRoutes } from "./routes";
import { seedsFromManifest } from "./seed";
import { serviceTokenSource } from "./service-token";
import { createRunnerDb } from "./store/db";
import { migrateRunnerDb } from "./store/migrations";
import { StrategyRepository } from "./store/strategy-repo";

export interface RunnerAppOptions {
  config: RunnerConfig;
  manifest: DeploymentManifest;
  /** Test seams: replace the OMS, the chain or token checks; defaults build the real ones. */
  oms?: OmsClient;
  chain?: ChainReader;
  verifier?: TokenVerifier;
  roles?: RoleResolver;
  logger?: boolean;
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
  const store = createRunnerDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrateRunnerDb(store.db);
  const repo = new StrategyRepository(store.db);
  await repo.seed(seedsFromManifest(manifest), config.tickMs);

  const chain =
    options.chain ??
    createChainReader({
      rpcUrl: config.rpcUrl,
      registry: manifest.contracts.registry,
      decimals: manifest.contracts.asset.decimals,
    });
  const oms =
    options.oms ??
    createOmsClient({
      baseUrl: config.omsUrl,
      token: serviceTokenSource({ dataDir: config.dataDir, vaultIds: manifest.vaults.map((v) => v.vault_id) }),
    });
  const verifier =
    options.verifier ??
    createTokenVerifier({
      key: loadVerificationKey(config.jwt),
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    });

  const app = Fastify({
    logger: options.logger ?? true,
    bodyLimit: 16 * 1024,
    requestIdHeader: "x-request-id",
  });
  registerErrorHandling(app);
  registerRoutes(app, { repo, manifest, verifier, roles: options.roles ?? createRoleResolver(chain, config.viewOnly) });

  const engine = createEngine({ repo, oms, chain, manifest, loopMs: config.loopMs, log: app.log, now: options.now });
  app.addHook("onClose", async () => {
    await engine.stop();
    await store.close();
  });
  return { app, engine, repo };
}
