import path from "node:path";
import { z } from "zod";
import { JwksUrl } from "../config";

const Env = z.object({
  RUNNER_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
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
  OMS_JWT_PUBLIC_KEY_FILE: z.string().optional(),
  OMS_JWKS_URL: JwksUrl.optional(),
  OMS_JWT_ISSUER: z.string().default("defix-console"),
  OMS_JWT_AUDIENCE: z.string().default("defix-oms"),
  VIEW_ONLY: z.string().default(""),
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
  jwt: { publicKeyFile: string | undefined; jwksUrl: string | undefined; issuer: string; audience: string };
  viewOnly: string;
}

/** Validates the environment once at boot; a bad value stops the process with a clear message. */
export function loadRunnerConfig(env: Record<string, string | undefined> = process.env): RunnerConfig {
  const parsed = Env.parse(env);
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
    jwt: {
      publicKeyFile: parsed.OMS_JWT_PUBLIC_KEY_FILE || undefined,
      jwksUrl: parsed.OMS_JWKS_URL || undefined,
      issuer: parsed.OMS_JWT_ISSUER,
      audience: parsed.OMS_JWT_AUDIENCE,
    },
    viewOnly: parsed.VIEW_ONLY,
  };
}
