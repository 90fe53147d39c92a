import path from "node:path";
import { z } from "zod";
import { ViewOnlyEnv } from "../../lib/roles/view-only";
import { DEFAULT_JWKS_URL, JwksUrl, Port, parseEnv } from "../kernel/env";
import type { JwtTrust } from "../kernel/token-verifier";

const Env = z.object({
  RUNNER_PORT: Port.default(8788),
  RUNNER_HOST: z.string().default("127.0.0.1"),
  OMS_URL: z.url().default("http://127.0.0.1:8787"),
  DATA_DIR: z.string().default(".data"),
  DEPLOYMENT_FILE: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  RPC_URL: z.url().optional(),
  CHAIN_PORT: z.coerce.number().int().default(8545),
  /** How often a RUNNING strategy may publish; seeded strategies start with this interval. */
  RUNNER_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  /** How often the loop looks at strategies (due ticks, in-flight intents). */
  RUNNER_LOOP_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** A strategy keeps publishing while its intents wait for approval, until this many wait (issue 15). */
  RUNNER_MAX_WAITING_PER_STRATEGY: z.coerce.number().int().min(1).max(100).default(3),
  OMS_JWT_PUBLIC_KEY_FILE: z.string().optional(),
  OMS_JWKS_URL: JwksUrl.default(DEFAULT_JWKS_URL),
  OMS_JWT_ISSUER: z.string().default("defix-console"),
  OMS_JWT_AUDIENCE: z.string().default("defix-oms"),
  /** Role lookups are cached this long, like the OMS's `OMS_ROLE_CACHE_MS`. */
  OMS_ROLE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
  VIEW_ONLY: ViewOnlyEnv.default(new Map()),
});

export interface RunnerConfig {
  port: number;
  host: string;
  omsUrl: string;
  dataDir: string;
  deploymentFile: string;
  /** postgres://… → PostgreSQL (own `runner_*` tables); unset → `${dataDir}/runner.sqlite`. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  rpcUrl: string;
  tickMs: number;
  loopMs: number;
  /** How many of a strategy's intents may wait for approval at once before it stops publishing more. */
  maxWaitingPerStrategy: number;
  jwt: JwtTrust;
  roleCacheMs: number;
  /** address → vault ids with an extra VIEW_ONLY grant. */
  viewOnly: ReadonlyMap<string, readonly string[]>;
}

/** The same body bound the runner always had: its requests are small state changes. */
export const RUNNER_BODY_LIMIT_BYTES = 16 * 1024;

/** Validates the environment once at boot; a bad value stops the process with a clear message. */
export function loadRunnerConfig(env: Readonly<Record<string, string | undefined>> = process.env): RunnerConfig {
  const parsed = parseEnv(Env, env, "strategy runner");
  const dataDir = path.resolve(parsed.DATA_DIR);
  return {
    port: parsed.RUNNER_PORT,
    host: parsed.RUNNER_HOST,
    omsUrl: parsed.OMS_URL.replace(/\/+$/, ""),
    dataDir,
    deploymentFile: path.resolve(parsed.DEPLOYMENT_FILE ?? path.join(dataDir, "deployment.json")),
    databaseUrl: parsed.DATABASE_URL || undefined,
    sqlitePath: path.join(dataDir, "runner.sqlite"),
    rpcUrl: parsed.RPC_URL ?? `http://127.0.0.1:${parsed.CHAIN_PORT}`,
    tickMs: parsed.RUNNER_TICK_MS,
    loopMs: parsed.RUNNER_LOOP_MS,
    maxWaitingPerStrategy: parsed.RUNNER_MAX_WAITING_PER_STRATEGY,
    jwt: {
      publicKeyFile: parsed.OMS_JWT_PUBLIC_KEY_FILE || undefined,
      jwksUrl: parsed.OMS_JWKS_URL,
      issuer: parsed.OMS_JWT_ISSUER,
      audience: parsed.OMS_JWT_AUDIENCE,
    },
    roleCacheMs: parsed.OMS_ROLE_CACHE_MS,
    viewOnly: parsed.VIEW_ONLY,
  };
}
