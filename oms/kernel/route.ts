import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "./errors";
import { serializerSchemaOf } from "./json-schema";

declare module "fastify" {
  interface FastifyContextConfig {
    /** No bearer token needed (health, OpenAPI). */
    isPublic?: boolean;
    /** The body reaches the handler as raw text so JSON-RPC can answer parse errors itself. */
    isJsonRpc?: boolean;
  }
}

type Schema = z.ZodType;

export interface ResponseDoc {
  description: string;
  schema?: Schema;
  /** Also answers `text/event-stream` (SSE) when the client asks for it. */
  isEventStream?: boolean;
}

/**
 * What a handler returns: a JSON reply, the bytes of one already serialized (`json`: a cached answer,
 * sent as is), or `STREAMED` when it wrote the response itself (SSE).
 */
export type HandlerResult = { status: number; body: unknown } | { status: number; json: Buffer } | typeof STREAMED;
export const STREAMED = Symbol("streamed");

export interface HandlerInput<P, Q, B> {
  request: FastifyRequest;
  reply: FastifyReply;
  params: P;
  query: Q;
  body: B;
}

export interface RouteDef<P extends Schema, Q extends Schema, B extends Schema> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Fastify form: `/defix/intents/:id`. */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  isPublic?: boolean;
  isJsonRpc?: boolean;
  /**
   * Fastify's per-route log level: "warn" keeps a routine, periodic service call (the runner's kill-switch
   * report every 30 s) out of the info log; a 5xx is still logged, and the runner warns about a refused report.
   */
  logLevel?: "info" | "warn";
  params?: P;
  query?: Q;
  body?: B;
  /** Documents the body of a route that reads it raw itself (`isJsonRpc`); not used to parse. */
  rawBodyDoc?: Schema;
  responses: Record<number, ResponseDoc>;
  /**
   * Answers are written by a serializer fastify compiles from the responses' schemas (see
   * `serializerSchemaOf`) instead of `JSON.stringify`: for hot reads whose bodies were validated on write.
   */
  compiledSerializer?: boolean;
  /** Error statuses beyond the ones every route of its kind can return (see `errorStatuses`). */
  errors?: readonly number[];
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<HandlerResult>;
}

/** A route with its types erased: what the table, the registrar and the OpenAPI builder share. */
export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  isPublic: boolean;
  isJsonRpc: boolean;
  logLevel: "info" | "warn";
  params?: Schema;
  query: Schema;
  body?: Schema;
  responses: Record<number, ResponseDoc>;
  compiledSerializer: boolean;
  errorStatuses: number[];
  run(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
}

/** What fastify's own serializer labels JSON answers with. */
const JSON_TYPE = "application/json; charset=utf-8";

/** Routes that declare no query take none: an unknown parameter is a 400, not silently ignored. */
const NoQuery = z.strictObject({});
/** Routes that declare no body accept none, or `{}` for clients that always send JSON. */
const NoBody = z.union([z.undefined(), z.null(), z.strictObject({})]);

export function defineRoute<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema>(
  def: RouteDef<P, Q, B>,
): Route {
  const isPublic = def.isPublic ?? false;
  const query = def.query ?? NoQuery;
  // 429: every request counts against its caller's (or, unauthenticated, its address's) budget.
  const statuses = new Set<number>([400, 429, 500, ...(def.errors ?? [])]);
  if (!isPublic) statuses.add(401);
  if (def.body || def.isJsonRpc) {
    statuses.add(413);
    statuses.add(415);
  }
  return {
    method: def.method,
    url: def.url,
    operationId: def.operationId,
    summary: def.summary,
    description: def.description,
    tag: def.tag,
    isPublic,
    isJsonRpc: def.isJsonRpc ?? false,
    logLevel: def.logLevel ?? "info",
    params: def.params,
    query,
    body: def.body ?? def.rawBodyDoc,
    responses: def.responses,
    compiledSerializer: def.compiledSerializer ?? false,
    errorStatuses: [...statuses].sort((a, b) => a - b),
    async run(request, reply) {
      const params = parsePart("path", def.params, request.params) as z.output<P>;
      // A route without a query or body declared and a request without one: nothing to validate.
      const parsedQuery = (
        def.query === undefined && isEmpty(request.query) ? {} : parsePart("query", query, request.query)
      ) as z.output<Q>;
      const body = def.isJsonRpc
        ? request.body
        : def.body === undefined && request.body === undefined
          ? undefined
          : parsePart("body", def.body ?? NoBody, request.body);
      const result = await def.handler({ request, reply, params, query: parsedQuery, body: body as z.output<B> });
      if (result === STREAMED) return undefined;
      if ("json" in result) return reply.code(result.status).type(JSON_TYPE).send(result.json);
      return reply.code(result.status).send(result.body);
    },
  };
}

function isEmpty(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  for (const _key in value) return false;
  return true;
}

function parsePart(location: "path" | "query" | "body", schema: Schema | undefined, value: unknown): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationError(location, parsed.error);
}

export function validationError(location: string, error: z.ZodError): DomainError {
  const issues = error.issues.map((issue) => ({
    location,
    path: issue.path.map(String).join("."),
    code: issue.code,
    message: issue.message,
    ...(issue.code === "unrecognized_keys" ? { keys: issue.keys } : {}),
  }));
  const first = issues[0];
  const where = first && first.path !== "" ? `${location}.${first.path}` : location;
  return new DomainError(ErrorCode.VALIDATION_FAILED, `Invalid ${where}: ${first?.message ?? "invalid input"}`, {
    issues,
  });
}

export function registerRoutes(app: FastifyInstance, routes: readonly Route[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: { isPublic: route.isPublic, isJsonRpc: route.isJsonRpc },
      ...(route.logLevel === "info" ? {} : { logLevel: route.logLevel }),
      ...(route.compiledSerializer ? { schema: { response: responseSchemas(route) } } : {}),
      handler: (request, reply) => route.run(request, reply),
    });
  }
}

/** Per status, the schema fastify compiles a serializer from; error bodies keep the default. */
function responseSchemas(route: Route): Record<string, Record<string, unknown>> {
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    if (doc.isEventStream) throw new Error(`${route.operationId}: a streamed answer has no compiled serializer`);
    if (doc.schema) schemas[status] = serializerSchemaOf(doc.schema);
  }
  return schemas;
}
