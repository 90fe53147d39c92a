import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { BODY_LIMIT_BYTES } from "../config";
import { type AccessControl, registerAuthentication } from "./auth";
import { type HealthReport, healthRoutes } from "./health-routes";
import { errorBody, mapError, registerHttpBasics, requestIdFor } from "./http";
import { intentRoutes } from "./intents-routes";
import { buildOpenApiDocument, openApiRoutes } from "./openapi";
import type { IntentService } from "./ports";
import { type Route, registerRoutes } from "./route";
import type { AuthorNonces } from "./rpc/author-nonces";
import { rpcRoutes } from "./rpc/routes";
import { createStreamRegistry } from "./sse";
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
  /** Routes other modules contribute (session keys); registered and documented like ours. */
  extraRoutes?: readonly Route[];
}

export interface ApiOptions {
  version: string;
  bodyLimit?: number;
  /** SSE heartbeat (and catch-up poll) interval. */
  heartbeatMs?: number;
  logger?: FastifyServerOptions["logger"];
}

/** Pino options that keep bearer tokens and cookies out of every log line. */
export const SAFE_LOGGER = {
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization"], censor: "[redacted]" },
};

function withRedaction(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  return typeof logger === "object" && logger !== null
    ? { ...logger, ...SAFE_LOGGER }
    : { ...SAFE_LOGGER, level: "info" };
}

/** The HTTP surface over already-built services; `oms/app.ts` builds the services from a Config. */
export function buildApi(services: ApiServices, options: ApiOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? BODY_LIMIT_BYTES;
  const app = Fastify({
    logger: options.logger ? withRedaction(options.logger) : false,
    // HEAD twins of GET routes would be undocumented endpoints.
    exposeHeadRoutes: false,
    bodyLimit,
    genReqId: requestIdFor,
    // Malformed URLs never reach a route: answer them in the API's error shape too.
    frameworkErrors: (error, request, reply) => {
      const mapped = mapError(error);
      // The generic reply type of this hook cannot take a status variable; the plain reply can.
      (reply as unknown as FastifyReply)
        .code(mapped.status)
        .header("x-request-id", request.id)
        .send(errorBody(mapped, request.id));
    },
  });
  const registered: Array<{ method: string; url: string }> = [];
  app.decorate("registeredRoutes", registered);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) registered.push({ method, url: route.url });
  });
  const streams = createStreamRegistry();
  app.addHook("preClose", async () => streams.closeAll());

  registerHttpBasics(app, bodyLimit);
  registerAuthentication(app, services.access);

  const streamDeps = { intents: services.intents, streams, heartbeatMs: options.heartbeatMs ?? 15_000 };
  const routes: Route[] = [];
  const document = () => buildOpenApiDocument(routes, options.version);
  routes.push(
    ...healthRoutes(services.health),
    ...openApiRoutes(document),
    ...intentRoutes(streamDeps),
    ...vaultRoutes(streamDeps),
    ...rpcRoutes({ intents: services.intents, nonces: services.nonces, chainId: services.chainId }),
    ...(services.extraRoutes ?? []),
  );
  registerRoutes(app, routes);
  return app;
}
