import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { Redis } from "ioredis";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { Role } from "../../../lib/defix/common";
import type { RoleDirectory } from "../../../lib/roles/directory";
import { createTestIssuer, type TestIssuer } from "../../kernel/test-support/tokens";
import type { AlertService } from "../../notify/alerts/service";
import { buildApi } from "../build-api";
import type { LimitsConfig } from "../limits";
import type { IntentService } from "../ports";
import { type AuthorNonces, createMemoryAuthorNonces } from "../rpc/author-nonces";
import { CHAIN_ID, VAULT_A, VAULT_B } from "./fixtures";
import { createMemoryIntents, type MemoryIntents } from "./memory-intents";
import { createStaticDirectory } from "./static-directory";

export const PRIMARY = devAccount(1).address.toLowerCase();
export const SECONDARY = devAccount(2).address.toLowerCase();
export const VIEWER = devAccount(3).address.toLowerCase();
export const OUTSIDER = devAccount(5).address.toLowerCase();
export const SERVICE = "svc:strategy-runner";

/** Vault A: primary, secondary and viewer; vault B: the primary only. */
export function defaultRoles(): Record<string, Record<string, Role>> {
  return {
    [VAULT_A]: { [PRIMARY]: "PRIMARY_MANAGER", [SECONDARY]: "SECONDARY_MANAGER", [VIEWER]: "VIEW_ONLY" },
    [VAULT_B]: { [PRIMARY]: "PRIMARY_MANAGER" },
  };
}

export interface UnitHarness {
  app: FastifyInstance;
  intents: MemoryIntents;
  issuer: TestIssuer;
  nonces: AuthorNonces;
  bearer(sub: string, claims?: Record<string, unknown>): Promise<{ authorization: string }>;
}

/** The API over in-memory fakes: vault A (primary, secondary, viewer) and vault B (primary only). */
export async function createUnitHarness(
  options: {
    heartbeatMs?: number;
    intents?: IntentService;
    logger?: FastifyServerOptions["logger"];
    limits?: LimitsConfig;
    streamReauthMs?: number;
    redis?: Redis;
    redisPrefix?: string;
    trustProxy?: number;
    /** Alert routes over this service (unset: none, as before). */
    alerts?: AlertService;
    /** Wraps the static role table (e.g. to make lookups fail). */
    directory?: (table: RoleDirectory) => RoleDirectory;
  } = {},
) {
  const issuer = await createTestIssuer();
  const intents = createMemoryIntents();
  const nonces = createMemoryAuthorNonces();
  const vaults = [VAULT_A, VAULT_B].map((vault_id, index) => ({
    vault_id,
    chain_id: CHAIN_ID,
    address: vault_id.split(":")[1] ?? "",
    name: `Vault ${index}`,
    symbol: `V${index}`,
  }));
  const roles = defaultRoles();
  const app = buildApi(
    {
      access: {
        verifier: issuer.verifier,
        directory: (options.directory ?? ((table) => table))(createStaticDirectory(vaults, roles)),
        serviceSubjects: [SERVICE],
      },
      intents: options.intents ?? intents,
      alerts: options.alerts,
      nonces,
      chainId: CHAIN_ID,
      redis: options.redis,
      redisPrefix: options.redisPrefix,
      health: async () => ({
        status: "ok",
        chain: { ok: true, chain_id: CHAIN_ID, block: "1" },
        database: { ok: true, dialect: "sqlite" },
        version: "test",
      }),
    },
    {
      version: "test",
      heartbeatMs: options.heartbeatMs ?? 50,
      logger: options.logger,
      limits: options.limits,
      streamReauthMs: options.streamReauthMs,
      trustProxy: options.trustProxy,
    },
  );
  await app.ready();
  const harness: UnitHarness = {
    app,
    intents,
    issuer,
    nonces,
    async bearer(sub, claims) {
      return { authorization: `Bearer ${await issuer.sign({ sub, claims })}` };
    },
  };
  return harness;
}
