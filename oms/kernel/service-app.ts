import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { errorBody, mapError, registerHttpBasics, requestIdFor } from "./http";
import { withRedaction } from "./logger";

export interface ServiceAppOptions {
  /** Pino options, `true` for info; tokens and cookies are redacted either way. `false` for silence. */
  logger?: FastifyServerOptions["logger"];
  /** Request bodies above this many bytes get 413. */
  bodyLimit: number;
  /**
   * Reverse proxies of ours that append to `x-forwarded-for`: `request.ip` is the address that many
   * hops from the socket's peer. 0 (default) ignores the header, which any client can write.
   */
  trustProxy?: number;
}

/**
 * A fastify instance with what every service answers the same way: request ids, JSON-only bodies
 * within `bodyLimit`, `{ error: { code, message } }` for every failure and unknown route.
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const app = Fastify({
    logger: withRedaction(options.logger),
    // HEAD twins of GET routes would be undocumented endpoints.
    exposeHeadRoutes: false,
    bodyLimit: options.bodyLimit,
    // Trust the socket's peer and the hops before it up to our own proxies (what fastify does for a
    // number, which its types do not accept): `request.ip` is the entry the outermost of them appended.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxy ?? 0),
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
  registerHttpBasics(app, options.bodyLimit);
  return app;
}
