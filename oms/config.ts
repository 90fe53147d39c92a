import path from "node:path";
import type { z } from "zod";
import { BODY_LIMIT_BYTES } from "./api/build-api";
import type { LimitsConfig } from "./api/limits";
import { Env } from "./config-env";
import { parseEnv } from "./kernel/env";
import type { JwtTrust } from "./kernel/token-verifier";

/** Signed webhooks (docs/ARCHITECTURE.md, "Webhooks"). */
export interface WebhooksConfig {
  allowPrivateTargets: boolean;
  maxPerVault: number;
  timeoutMs: number;
  /** Null: the built-in schedule. */
  retryScheduleMs: number[] | null;
  disableAfterFailures: number;
  disableAfterMs: number;
  retentionMs: number;
  concurrency: number;
  suggestedUrl: string | null;
}

export interface Config {
  dataDir: string;
  rpcUrl: string;
  /** `BUNDLER_URL`: ERC-4337 bundler JSON-RPC for the EIP4337 modes; unset → those modes are refused at submit. */
  bundlerUrl: string | undefined;
  /** Unset → embedded SQLite at `sqlitePath`. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  /** `OMS_DB_POOL_SIZE`. */
  dbPoolSize: number;
  deploymentFile: string;
  host: string;
  port: number;
  jwt: JwtTrust;
  serviceSubjects: readonly string[];
  /** address → vault ids with an extra VIEW_ONLY grant. */
  viewOnly: ReadonlyMap<string, readonly string[]>;
  workers: number;
  /** Lease of a worker's claim on an intent (`OMS_LEASE_MS`). */
  leaseMs: number;
  /** `OMS_HEAD_POLL_MS`; null (0) = waiting intents poll instead of following the head. */
  headPollMs: number | null;
  roleCacheMs: number;
  /** `SESSION_KEY_GAS_STIPEND_WEI`. */
  gasStipendWei: bigint;
  logLevel: z.infer<typeof Env>["OMS_LOG_LEVEL"];
  sessionKeyEncryptionKey: string | undefined;
  /** `OMS_STREAM_REAUTH_MS`. */
  streamReauthMs: number;
  /** Null when `OMS_RATE_LIMIT=off`. */
  limits: LimitsConfig | null;
  /** `REDIS_URL`: where limit counters live when several processes share them. */
  redisUrl: string | undefined;
  /** `OMS_REDIS_PREFIX`. */
  redisPrefix: string;
  /** `SESSION_KEY_ENCRYPTION_KEY_FILE`. */
  sessionKeyEncryptionKeyFile: string | undefined;
  /** `AUDIT_SIGNING_KEY_FILE`. */
  auditSigningKeyFile: string | undefined;
  /** Submit bounds (gas safety); `maxInFlightPerVault` null = unbounded. */
  intentLimits: {
    maxInFlightPerVault: number | null;
    maxDeadlineSeconds: number;
    maxSlippageBps: number;
  };
  /** `OMS_MAX_FEE_PER_TX_WEI`. */
  maxFeePerTxWei: bigint;
  /** `OMS_INSTANCE_ID`; unset → the id stored in DATA_DIR. */
  instanceId: string | undefined;
  /** Request bodies above this size get 413. */
  bodyLimit: number;
  /** `OMS_TRUST_PROXY`: proxies of ours in front; 0 = the socket's peer is the client. */
  trustProxy: number;
  webhooks: WebhooksConfig;
  /** Null without `NATS_URL`: no relay. */
  nats: {
    url: string;
    stream: string;
    subjectPrefix: string;
    maxAgeHours: number;
    duplicateWindowMinutes: number;
  } | null;
  /** `OMS_ALERT_TICK_MS`. */
  alertTickMs: number;
  /** `OMS_AUDIT_CHECKPOINT_MS`. */
  auditCheckpointMs: number;
  version: string;
}

const VERSION = "0.1.0";

/** Env → Config; throws one error listing every invalid variable so a bad boot says all of it at once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const e = parseEnv(Env, env, "OMS");
  return {
    dataDir: e.DATA_DIR,
    rpcUrl: e.RPC_URL ?? `http://127.0.0.1:${e.CHAIN_PORT}`,
    bundlerUrl: e.BUNDLER_URL,
    databaseUrl: e.DATABASE_URL,
    sqlitePath: path.join(e.DATA_DIR, "oms.sqlite"),
    dbPoolSize: e.OMS_DB_POOL_SIZE,
    deploymentFile: e.DEPLOYMENT_FILE ?? path.join(e.DATA_DIR, "deployment.json"),
    host: e.OMS_HOST,
    port: e.OMS_PORT,
    jwt: {
      jwksUrl: e.OMS_JWKS_URL,
      publicKeyFile: e.OMS_JWT_PUBLIC_KEY_FILE,
      issuer: e.OMS_JWT_ISSUER,
      audience: e.OMS_JWT_AUDIENCE,
    },
    serviceSubjects: e.OMS_SERVICE_SUBJECTS,
    viewOnly: e.VIEW_ONLY,
    workers: e.OMS_WORKERS,
    leaseMs: e.OMS_LEASE_MS,
    headPollMs: e.OMS_HEAD_POLL_MS === 0 ? null : e.OMS_HEAD_POLL_MS,
    roleCacheMs: e.OMS_ROLE_CACHE_MS,
    gasStipendWei: e.SESSION_KEY_GAS_STIPEND_WEI,
    logLevel: e.OMS_LOG_LEVEL,
    sessionKeyEncryptionKey: e.SESSION_KEY_ENCRYPTION_KEY,
    streamReauthMs: e.OMS_STREAM_REAUTH_MS,
    limits:
      e.OMS_RATE_LIMIT === "off"
        ? null
        : {
            perUserPerMin: e.OMS_RATE_LIMIT_PER_MIN,
            perServicePerMin: e.OMS_RATE_LIMIT_SERVICE_PER_MIN,
            perIpPerMin: e.OMS_RATE_LIMIT_IP_PER_MIN,
            submitsPerVaultPerMin: e.OMS_SUBMIT_LIMIT_PER_MIN,
            streamsPerIdentity: e.OMS_STREAMS_PER_IDENTITY,
            streamsTotal: e.OMS_STREAMS_MAX,
          },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.OMS_REDIS_PREFIX,
    sessionKeyEncryptionKeyFile: e.SESSION_KEY_ENCRYPTION_KEY_FILE,
    auditSigningKeyFile: e.AUDIT_SIGNING_KEY_FILE,
    intentLimits: {
      maxInFlightPerVault: e.OMS_MAX_IN_FLIGHT_PER_VAULT === 0 ? null : e.OMS_MAX_IN_FLIGHT_PER_VAULT,
      maxDeadlineSeconds: e.OMS_MAX_DEADLINE_SECONDS,
      maxSlippageBps: e.OMS_MAX_SLIPPAGE_BPS,
    },
    maxFeePerTxWei: e.OMS_MAX_FEE_PER_TX_WEI,
    instanceId: e.OMS_INSTANCE_ID,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: e.OMS_TRUST_PROXY,
    webhooks: {
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      maxPerVault: e.WEBHOOK_MAX_PER_VAULT,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE ?? null,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_MINUTES * 60_000,
      retentionMs: e.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000,
      concurrency: e.WEBHOOK_CONCURRENCY,
      suggestedUrl: e.WEBHOOK_SUGGESTED_URL ?? null,
    },
    nats: e.NATS_URL
      ? {
          url: e.NATS_URL,
          stream: e.NATS_STREAM,
          subjectPrefix: e.NATS_SUBJECT_PREFIX,
          maxAgeHours: e.NATS_MAX_AGE_HOURS,
          duplicateWindowMinutes: e.NATS_DUPLICATE_WINDOW_MINUTES,
        }
      : null,
    alertTickMs: e.OMS_ALERT_TICK_MS,
    auditCheckpointMs: e.OMS_AUDIT_CHECKPOINT_MS,
    version: VERSION,
  };
}
