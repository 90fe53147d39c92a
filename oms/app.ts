import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { Redis } from "ioredis";
import { type Address, createPublicClient, type PublicClient } from "viem";
import { type DeploymentManifest, loadManifest } from "../lib/deployment/manifest";
import { createChainRoleDirectory } from "../lib/roles/directory";
import { auditRoutesFor } from "./api/audit-routes";
import { buildApi } from "./api/build-api";
import { costRoutes } from "./api/cost-routes";
import { createAuthorNonces } from "./api/rpc/author-nonces";
import { sessionKeyRouteTable } from "./api/session-key-routes";
import { webhookRoutes } from "./api/webhook-routes";
import { rpcConnection } from "./chain/rpc-transport";
import { createSignatureVerifier } from "./chain/signatures";
import { userOpGatewayFor } from "./chain/user-ops";
import { createViemGateway } from "./chain/viem-gateway";
import type { Config } from "./config";
import { createApprovalService } from "./core/approvals";
import { type CheckpointJob, startCheckpointJob } from "./core/checkpoints";
import { createCostService } from "./core/costs";
import { createIntentService, type IntentCore } from "./core/intent-service";
import type { EngineConfig } from "./engine/deps";
import { checkHealth } from "./health";
import type { Logger } from "./kernel/logger";
import { loadNativeHashes } from "./kernel/native-hashes";
import { pgListener } from "./kernel/pg-listen";
import { connectRedis } from "./kernel/redis";
import { createTokenVerifier, type KeySource } from "./kernel/token-verifier";
import { resolveAuditSigner } from "./keys/audit-key";
import { resolveMasterKey } from "./keys/master-key";
import { createSessionKeyService, DEFAULT_SESSION_KEY_CONFIG, type SessionKeyServiceConfig } from "./keys/service";
import { createOmsDb } from "./migrations";
import { ALERT_CHANNEL } from "./notify/alerts/changes";
import { type AlertEvaluator, startAlertEvaluator } from "./notify/alerts/evaluator";
import { createAlertService } from "./notify/alerts/service";
import { type NatsRelay, startNatsRelay } from "./notify/relay/relay";
import { startWebhooks, type WebhooksOptions } from "./notify/webhooks";
import type { Db } from "./store/db";
import { POSITION_CHANNEL } from "./store/positions";

export interface OmsOptions {
  /** Fastify/pino logger options; `false` for silence (tests). Tokens are redacted either way. */
  logger?: FastifyServerOptions["logger"];
  /** Verify tokens with this key instead of the configured JWKS URL / key file (tests). */
  tokenKey?: KeySource;
  heartbeatMs?: number;
  engine?: Partial<EngineConfig>;
  sessionKeys?: Partial<SessionKeyServiceConfig>;
  /** Overrides of the webhook settings (tests: short schedules, a fake resolver, fast ticks). */
  webhooks?: Partial<WebhooksOptions>;
}

export interface Oms {
  app: FastifyInstance;
  intents: IntentCore;
  manifest: DeploymentManifest;
  db: Db;
}

/** The store (migrated), once the node is known to serve the chain the manifest was deployed on. */
async function openStoreOnChain(config: Config, client: PublicClient, chainId: number) {
  const served = await client.getChainId();
  if (served !== chainId)
    throw new Error(`RPC_URL serves chain ${served} but ${config.deploymentFile} was deployed on ${chainId}`);
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  return createOmsDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, poolSize: config.dbPoolSize });
}

/**
 * Builds the whole OMS from a Config: database (migrated), chain client, session keys, intent
 * core and its workers, and the HTTP API. `app.close()` tears all of it down in reverse order.
 */
export async function createOms(config: Config, options: OmsOptions = {}): Promise<Oms> {
  const manifest = loadManifest(config.deploymentFile);
  // The submit path's keccak on WebAssembly (kernel/keccak.ts): compiled once, before any request.
  await loadNativeHashes();
  // One set of kept-alive sockets to the node for every client below; closed with the OMS.
  const rpc = rpcConnection(config.rpcUrl);
  const client: PublicClient = createPublicClient({ transport: rpc.transport({ retryCount: 1 }) });
  const chainId = manifest.chain_id;
  const db = await openStoreOnChain(config, client, chainId).catch((error: unknown) => {
    rpc.close();
    throw error;
  });

  // The engine and key store start before the HTTP app exists; their log lines go to the app's pino once it does.
  let appLog: FastifyInstance["log"] | undefined;
  const log: Logger = {
    warn: (message, context) => appLog?.warn(context ?? {}, message),
    error: (message, context) => appLog?.error(context ?? {}, message),
  };
  const pendingWarnings: string[] = [];
  let redis: Redis | undefined;
  let stopWebhooks: (() => Promise<void>) | undefined;
  let relay: NatsRelay | null = null;
  let evaluator: AlertEvaluator | null = null;
  let closeAlertFeed: (() => Promise<void>) | undefined;
  let checkpoints: CheckpointJob | undefined;
  // What the notify side started, stopped in this order on close and after a failed start.
  const stopNotify = async () => {
    await evaluator?.close();
    await closeAlertFeed?.();
    await relay?.close();
    await checkpoints?.stop();
    await stopWebhooks?.();
  };
  try {
    if (config.redisUrl && config.limits) redis = await connectRedis(config.redisUrl, log);
    const auditSigner = resolveAuditSigner({
      configuredFile: config.auditSigningKeyFile,
      dataDir: config.dataDir,
      logger: { info: (message) => pendingWarnings.push(message) },
    });
    const masterKey = resolveMasterKey({
      configuredHex: config.sessionKeyEncryptionKey,
      configuredFile: config.sessionKeyEncryptionKeyFile,
      dataDir: config.dataDir,
      logger: {
        warn: (message) => {
          pendingWarnings.push(message);
          // The banner is for whoever watches the console, whatever the log level or format.
          if (options.logger !== false) process.stderr.write(`${message}\n`);
        },
      },
    });
    const keys = createSessionKeyService({
      db: db.db,
      client,
      manifest,
      masterKey,
      config: { gasStipendWei: config.gasStipendWei, ...options.sessionKeys },
      logger: { warn: (message) => log.warn(message) },
    });
    await keys.verifyKeyStore();
    const chain = createViemGateway({
      rpc,
      chainId,
      registry: manifest.contracts.registry as Address,
    });
    const directory = createChainRoleDirectory({
      client,
      manifest,
      viewOnly: config.viewOnly,
      cacheMs: config.roleCacheMs,
    });
    const intents = createIntentService({
      managers: (vaultId) => directory.managers(vaultId),
      db: db.db,
      chain,
      manifest,
      keys,
      log,
      limits: config.intentLimits,
      userOps: userOpGatewayFor({ bundlerUrl: config.bundlerUrl, rpc, manifest }),
      engine: { maxFeePerTxWei: config.maxFeePerTxWei, ...options.engine },
      // Other OMS processes' commits: a NOTIFY from their appending transactions wakes this one's streams.
      foreignEventWakeups: config.databaseUrl
        ? pgListener({ connectionString: config.databaseUrl, channel: POSITION_CHANNEL, log })
        : undefined,
    });

    const webhooks = startWebhooks({
      db: db.db,
      masterKey,
      log,
      options: { ...config.webhooks, ...options.webhooks },
    });
    const stopWaking = intents.subscribe(() => webhooks.wakeEvents());
    stopWebhooks = async () => {
      stopWaking();
      await webhooks.stop();
    };
    // This process's id for consumer leases (relay, alerts): unique per process, readable in /health.
    const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (config.nats) {
      const nats = config.nats;
      relay = await startNatsRelay({
        db: db.db,
        natsUrl: nats.url,
        stream: {
          name: nats.stream,
          subjectPrefix: nats.subjectPrefix,
          maxAgeHours: nats.maxAgeHours,
          duplicateWindowMinutes: nats.duplicateWindowMinutes,
        },
        chainId,
        vaultAddress: (vaultId) => manifest.vaults.find((vault) => vault.vault_id === vaultId)?.address,
        owner,
        log,
      });
    }
    const unsubscribeRelay = relay ? intents.subscribe(() => relay?.wake()) : null;
    checkpoints = startCheckpointJob({
      db: db.db,
      signer: auditSigner,
      owner,
      intervalMs: config.auditCheckpointMs,
      log,
    });
    // A settings change is evaluated at once by the process running the evaluator (elsewhere: its next tick).
    const alertService = createAlertService({
      db: db.db,
      log,
      // Other OMS processes' alert changes: a NOTIFY from their recording transactions wakes this one's streams.
      wakeups: config.databaseUrl
        ? pgListener({ connectionString: config.databaseUrl, channel: ALERT_CHANNEL, log })
        : undefined,
      onSettingsChanged: () => {
        if (evaluator?.status().holding) void evaluator.sweep();
      },
    });
    closeAlertFeed = () => alertService.close();
    evaluator = await startAlertEvaluator({
      db: db.db,
      vaultIds: manifest.vaults.map((vault) => vault.vault_id),
      readiness: (vaultId) => keys.readiness(vaultId),
      executionCostWei: async () =>
        (await client.estimateFeesPerGas()).maxFeePerGas *
        (options.sessionKeys?.executionGasBudget ?? DEFAULT_SESSION_KEY_CONFIG.executionGasBudget),
      owner,
      log,
      tickMs: config.alertTickMs,
      onChange: (change) => alertService.notify(change),
    });
    const unsubscribeAlerts = intents.subscribe(() => evaluator?.wake());
    // Alert changes (this process's or, by NOTIFY, another's) cue the dispatcher's `webhooks-alerts` consumer.
    const unsubscribeAlertWebhooks = alertService.subscribe(() => webhooks.wakeAlerts());

    const app = buildApi(
      {
        access: {
          verifier: createTokenVerifier(config.jwt, options.tokenKey),
          directory,
          serviceSubjects: config.serviceSubjects,
        },
        intents,
        nonces: createAuthorNonces(db.db, { instanceId: config.instanceId }),
        chainId,
        health: () =>
          checkHealth(client, db, config.version, [
            relay?.status(),
            evaluator?.status(),
            checkpoints?.status(),
            ...webhooks.statuses(),
          ]),
        alerts: alertService,
        approvals: createApprovalService({
          engine: intents.engine,
          verifier: createSignatureVerifier(client),
          managers: (vaultId) => directory.managers(vaultId),
        }),
        extraRoutes: [
          ...sessionKeyRouteTable(keys),
          ...costRoutes(createCostService({ db: db.db, now: () => new Date() })),
          ...auditRoutesFor(db.db, auditSigner, log),
          ...webhookRoutes(webhooks.service),
        ],
        redis,
        redisPrefix: config.redisPrefix,
      },
      {
        version: config.version,
        bodyLimit: config.bodyLimit,
        heartbeatMs: options.heartbeatMs,
        streamReauthMs: config.streamReauthMs,
        limits: config.limits,
        logger: options.logger,
        trustProxy: config.trustProxy,
      },
    );
    appLog = app.log;
    for (const warning of pendingWarnings) app.log.warn(warning);

    const workers =
      config.workers > 0
        ? intents.startWorkers({ count: config.workers, leaseMs: config.leaseMs, headPollMs: config.headPollMs })
        : null;
    app.addHook("onClose", async () => {
      unsubscribeRelay?.();
      unsubscribeAlerts();
      unsubscribeAlertWebhooks();
      await workers?.stop();
      await stopNotify();
      await intents.close();
      await db.close();
      redis?.disconnect();
      rpc.close();
    });
    return { app, intents, manifest, db };
  } catch (error) {
    await stopNotify();
    await db.close();
    redis?.disconnect();
    rpc.close();
    throw error;
  }
}
