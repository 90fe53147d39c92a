import type { FastifyInstance, FastifyServerOptions } from "fastify";
import type { Redis } from "ioredis";
import type { ApprovalService } from "../core/approvals";
import { type Route, registerRoutes } from "../kernel/route";
import { createServiceApp } from "../kernel/service-app";
import type { AlertService } from "../notify/alerts/service";
import { alertRoutes } from "./alert-routes";
import { approvalRoutes } from "./approval-routes";
import { type AccessControl, registerAuthentication } from "./auth";
import { type HealthReport, healthRoutes } from "./health-routes";
import { intentRoutes } from "./intents-routes";
import { type LimitsConfig, registerRequestLimits } from "./limits";
import { buildOpenApiDocument, openApiRoutes } from "./openapi";
import type { IntentService } from "./ports";
import { refinementRoutes } from "./refinement-routes";
import type { AuthorNonces } from "./rpc/author-nonces";
import { rpcRoutes } from "./rpc/routes";
import { createStreamRegistry } from "./sse";
import { createMemoryStreamSlots, createRedisStreamSlots, type StreamSlots, UNCAPPED_SLOTS } from "./stream-slots";
import { vaultRoutes } from "./vault-routes";

declare module "fastify" {
  interface FastifyInstance {
    /** Every route fastify registered (ours and plugins'), so a test can hold the OpenAPI document to it. */
    registeredRoutes: ReadonlyArray<{ method: string; url: string }>;
  }
}

export interface ApiServices {
  access: AccessControl;
  intents: IntentService;
  nonces: AuthorNonces;
  chainId: number;
  health: () => Promise<HealthReport>;
  /** Approval policies and quorum decisions (issue 15); unset: no approval routes or RPC methods. */
  approvals?: ApprovalService;
  /** Alerts (reads, read marks, settings, live changes); unset: no alert routes (in-process test harnesses). */
  alerts?: AlertService;
  /** Routes other modules contribute (session keys); registered and documented like ours. */
  extraRoutes?: readonly Route[];
  /** Where limit counters live when several OMS processes share them; unset keeps them in this process. */
  redis?: Redis;
  /** Prefix of every Redis key (default `defix-oms:`): OMS deployments sharing one Redis keep apart. */
  redisPrefix?: string;
}

export interface ApiOptions {
  version: string;
  bodyLimit?: number;
  /** SSE heartbeat (and catch-up poll) interval. */
  heartbeatMs?: number;
  /** How often open streams re-check the caller's roles (default 10 s). */
  streamReauthMs?: number;
  /** Request budgets and stream caps; unset or null: none (the in-process test harnesses). */
  limits?: LimitsConfig | null;
  logger?: FastifyServerOptions["logger"];
  /** `OMS_TRUST_PROXY`: proxies of ours in front, so per-address limits count the real client. */
  trustProxy?: number;
}

/** Request bodies above this size get 413 (JSON-RPC batches included). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The HTTP surface over already-built services; `oms/app.ts` builds the services from a Config. */
export function buildApi(services: ApiServices, options: ApiOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? BODY_LIMIT_BYTES;
  const app = createServiceApp({ logger: options.logger, bodyLimit, trustProxy: options.trustProxy });
  const registered: Array<{ method: string; url: string }> = [];
  app.decorate("registeredRoutes", registered);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) registered.push({ method, url: route.url });
  });
  const streams = createStreamRegistry();
  app.addHook("preClose", async () => streams.closeAll());

  const limits = options.limits ?? null;
  const limiter = registerRequestLimits(app, limits, services.redis, services.redisPrefix ?? "defix-oms:");
  registerAuthentication(app, services.access, limiter);
  const slots = streamSlotsFor(app, limits, services.redis, services.redisPrefix ?? "defix-oms:");
  app.addHook("onClose", async () => slots.close());

  const streamDeps = {
    intents: services.intents,
    streams,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    reauthMs: options.streamReauthMs ?? 10_000,
    slots,
  };
  const routes: Route[] = [];
  const document = () => buildOpenApiDocument(routes, options.version);
  routes.push(
    ...healthRoutes(services.health),
    ...openApiRoutes(document),
    ...refinementRoutes(streamDeps),
    ...intentRoutes(streamDeps),
    ...vaultRoutes(streamDeps),
    ...rpcRoutes({
      intents: services.intents,
      nonces: services.nonces,
      chainId: services.chainId,
      approvals: services.approvals,
    }),
    ...(services.approvals ? approvalRoutes({ intents: services.intents, approvals: services.approvals }) : []),
    ...(services.alerts ? alertRoutes(services.alerts, streamDeps) : []),
    ...(services.extraRoutes ?? []),
  );
  registerRoutes(app, routes);
  return app;
}

function streamSlotsFor(
  app: FastifyInstance,
  limits: LimitsConfig | null,
  redis: Redis | undefined,
  redisPrefix: string,
): StreamSlots {
  if (!limits) return UNCAPPED_SLOTS;
  const caps = { perIdentity: limits.streamsPerIdentity, total: limits.streamsTotal };
  if (!redis) return createMemoryStreamSlots(caps);
  return createRedisStreamSlots(redis, caps, (error, message) => app.log.warn({ err: error }, message), redisPrefix);
}
