import { z } from "zod";
import { ViewOnlyEnv } from "../lib/roles/view-only";
import { DEFAULT_HEAD_POLL_MS } from "./engine/receipt-watch";
import { DEFAULT_LEASE_MS } from "./engine/workers";
import { DEFAULT_JWKS_URL, JwksUrl, Port } from "./kernel/env";

const PerMinute = z.coerce.number().int().min(1).max(10_000_000);
const Wei = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,30})$/, "must be a decimal amount of wei")
  .transform((value) => BigInt(value));
const CommaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const Seconds = z.coerce.number().int().min(0).max(604_800);
const RetrySchedule = z.string().transform((value, ctx) => {
  const parts = value.split(",").map((item) => item.trim());
  const seconds = parts.map((item) => Seconds.safeParse(item));
  if (parts.length > 30 || seconds.some((item) => !item.success)) {
    ctx.addIssue({ code: "custom", message: "must be up to 30 comma-separated waits in seconds (0..604800)" });
    return z.NEVER;
  }
  return seconds.flatMap((item) => (item.success ? [item.data * 1000] : []));
});
const OnOff = z
  .enum(["1", "0", "true", "false", "on", "off", ""])
  .transform((value) => value === "1" || value === "true" || value === "on");

/** The OMS's environment variables, parsed and bounded (README "Configuration"); `loadConfig` turns them into a Config. */
export const Env = z.object({
  DATA_DIR: z.string().default(".data"),
  CHAIN_PORT: Port.default(8545),
  RPC_URL: z.url().optional(),
  BUNDLER_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (unset for the embedded SQLite)")
    .optional(),
  DEPLOYMENT_FILE: z.string().optional(),
  OMS_HOST: z.string().default("127.0.0.1"),
  OMS_PORT: Port.default(8787),
  OMS_JWKS_URL: JwksUrl.default(DEFAULT_JWKS_URL),
  OMS_JWT_PUBLIC_KEY_FILE: z.string().optional(),
  OMS_JWT_ISSUER: z.string().min(1).default("defix-console"),
  OMS_JWT_AUDIENCE: z.string().min(1).default("defix-oms"),
  OMS_SERVICE_SUBJECTS: CommaList.default(["svc:strategy-runner"]),
  OMS_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  /** PostgreSQL pool size: how many queries the OMS runs at once (ignored for SQLite). */
  OMS_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * How long a worker's claim on an intent lasts. A crashed worker's intents are picked up by
   * another (or the restarted process) only once it runs out, so a short lease drains crash tests
   * faster; it must still comfortably exceed one step (a few RPC round trips and a commit).
   */
  OMS_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(DEFAULT_LEASE_MS),
  /**
   * How often the workers read the chain head while an intent waits for its block (one `eth_blockNumber` per interval,
   * only then): a new head has the waiting intents checked at once. 0 = no following: each waiting intent is claimed
   * and checked every 250 ms instead (a node or provider that must not be asked this often).
   */
  OMS_HEAD_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(DEFAULT_HEAD_POLL_MS),
  /**
   * Wei a grant or rotation sends along; the executor forwards it to the session key, which pays gas for
   * every intent it executes. 1 ETH lasts thousands of executions on a local chain.
   */
  SESSION_KEY_GAS_STIPEND_WEI: Wei.default(10n ** 18n),
  /** Non-terminal intents one vault may hold; 0 = no bound (benches only). */
  OMS_MAX_IN_FLIGHT_PER_VAULT: z.coerce.number().int().min(0).max(1_000_000).default(200),
  /** Furthest a submitted deadline / ttl_seconds may lie in the future. */
  OMS_MAX_DEADLINE_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(86_400),
  OMS_MAX_SLIPPAGE_BPS: z.coerce.number().int().min(0).max(10_000).default(1_000),
  /** Gas limit × max fee per gas of any one transaction (incl. replacements); 0.1 ETH by default. */
  OMS_MAX_FEE_PER_TX_WEI: Wei.default(10n ** 17n),
  /** Binds JSON-RPC signatures to this OMS (the EIP-712 domain's salt); unset → generated into DATA_DIR. */
  OMS_INSTANCE_ID: z.string().min(1).max(128).optional(),
  OMS_ROLE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
  OMS_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_KEY_ENCRYPTION_KEY: z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex")
    .optional(),
  /** A file holding the master key (64 hex), kept outside DATA_DIR so a data backup holds no key. */
  SESSION_KEY_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  /** EC P-256 PKCS#8 PEM that signs audit export manifests; unset → generated into DATA_DIR. */
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  VIEW_ONLY: ViewOnlyEnv.default(new Map()),
  /** Open SSE streams re-check the caller's vault roles this often (plus OMS_ROLE_CACHE_MS). */
  OMS_STREAM_REAUTH_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** `off` lifts every request, submit and stream limit (benches, crash harnesses); never in production. */
  OMS_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
  OMS_RATE_LIMIT_PER_MIN: PerMinute.default(3_000),
  OMS_RATE_LIMIT_SERVICE_PER_MIN: PerMinute.default(60_000),
  OMS_RATE_LIMIT_IP_PER_MIN: PerMinute.default(1_200),
  OMS_SUBMIT_LIMIT_PER_MIN: PerMinute.default(600),
  OMS_STREAMS_PER_IDENTITY: z.coerce.number().int().min(1).max(10_000).default(20),
  OMS_STREAMS_MAX: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /**
   * How many reverse proxies of ours append to `x-forwarded-for` in front of the OMS (the dashboard's
   * TRUST_PROXY): per-address limits then count the address that many hops from the socket. 0 ignores
   * the header (a client could write anything in it).
   */
  OMS_TRUST_PROXY: z.coerce.number().int().min(0).max(16).default(0),
  /** Shared limit counters for several OMS processes; unset keeps them in this process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /** Prefix of the OMS's Redis keys, so deployments sharing one Redis keep their counters apart. */
  OMS_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default("defix-oms:"),
  /** Development only: webhook URLs may use http:// and reach private/loopback addresses (`npm start` sets it). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: OnOff.default(false),
  WEBHOOK_MAX_PER_VAULT: z.coerce.number().int().min(1).max(100).default(10),
  /** One delivery attempt's bound: connect, send, and the response's status and first bytes. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** Waits before each retry, in seconds (the first attempt is immediate). */
  WEBHOOK_RETRY_SCHEDULE: RetrySchedule.optional(),
  /** Auto-disable: this many failed attempts in a row, spanning at least WEBHOOK_DISABLE_AFTER_MINUTES. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(100_000).default(20),
  WEBHOOK_DISABLE_AFTER_MINUTES: z.coerce.number().int().min(0).max(100_000).default(1_440),
  /** Finished deliveries are kept this long (and at most 1000 per endpoint). */
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Deliveries in flight at once per OMS process; 0 = this process delivers none (another does). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(8),
  /** A receiver the console offers as the endpoint URL (the dev stack's local receiver). */
  WEBHOOK_SUGGESTED_URL: z.url().optional(),
  /** The NATS relay (docs/ARCHITECTURE.md, "NATS relay"): unset runs with no broker. */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, "must be a nats:// or tls:// URL")
    .optional(),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default("DEFIX_EVENTS"),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,7}$/, "must be dot-separated tokens without wildcards")
    .default("defix.events"),
  NATS_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(87_600).default(168),
  NATS_DUPLICATE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1_440).default(10),
  /** The alert evaluator's backstop tick (it also runs on every event). */
  OMS_ALERT_TICK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** How often the audit checkpoint job writes a signed checkpoint for each vault with new events. */
  OMS_AUDIT_CHECKPOINT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
});
