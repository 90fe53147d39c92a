import type { z } from "zod";
import { ErrorBody } from "../../lib/defix/common";
import { type JsonSchema, jsonSchemaOf } from "../kernel/json-schema";
import { defineRoute, type Route } from "../kernel/route";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request: INVALID_JSON, VALIDATION_FAILED (details.issues lists each path) or BAD_REQUEST",
  401: "UNAUTHENTICATED (no token), TOKEN_EXPIRED or TOKEN_INVALID",
  403: "FORBIDDEN: the caller's role on the vault is not enough",
  404: "NOT_FOUND, VAULT_NOT_FOUND or INTENT_NOT_FOUND",
  409: "Conflict, e.g. INTENT_TERMINAL",
  413: "PAYLOAD_TOO_LARGE: bodies are limited to 64 KiB",
  415: "UNSUPPORTED_MEDIA_TYPE: send application/json",
  429: "RATE_LIMITED (requests per minute per caller or address, submits per minute per vault) or TOO_MANY_STREAMS (open event streams per caller or in total); `Retry-After` says when to retry, details.limit and details.window_ms which limit",
  500: "INTERNAL: unexpected; the request_id identifies it in the logs",
  503: "A dependency (chain, token issuer) is unavailable",
};

/** Request-side JSON Schema (inputs: defaults optional, pre-transform strings). */
function toJson(schema: z.ZodType): JsonSchema {
  return jsonSchemaOf(schema, "input");
}

function parametersOf(schema: z.ZodType | undefined, location: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const object = toJson(schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: property,
    ...(location === "query" ? { style: "form", explode: true } : {}),
  }));
}

function operationOf(route: Route): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const content: Record<string, JsonSchema> = {};
    if (doc.schema) content["application/json"] = { schema: toJson(doc.schema) };
    if (doc.isEventStream) content["text/event-stream"] = { schema: { type: "string" } };
    responses[status] = { description: doc.description, ...(Object.keys(content).length ? { content } : {}) };
  }
  for (const status of route.errorStatuses) {
    responses[String(status)] ??= {
      description: STATUS_TEXT[status] ?? "Error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.isPublic ? { security: [] } : {}),
    parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
    ...(route.body
      ? { requestBody: { required: true, content: { "application/json": { schema: toJson(route.body) } } } }
      : {}),
    responses,
  };
}

/** Fastify's `:id` → OpenAPI's `{id}`. */
export const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

/** The document for exactly the routes that are registered: a route cannot exist undocumented. */
export function buildOpenApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "DeFiX OMS",
      version,
      description:
        "Reference OMS for DeFiX v0.1 intents. Every error is `{ error: { code, message, details?, request_id } }`; codes are listed in lib/defix/errors.ts.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { ErrorBody: toJson(ErrorBody) },
    },
    paths,
  };
}

export function openApiRoutes(document: () => JsonSchema) {
  return [
    // GET /openapi.json – this API, generated from the zod contract
    defineRoute({
      method: "GET",
      url: "/openapi.json",
      operationId: "openapi",
      summary: "OpenAPI 3.1 document",
      tag: "Service",
      isPublic: true,
      responses: { 200: { description: "The OpenAPI document" } },
      async handler() {
        return { status: 200, body: document() };
      },
    }),
  ];
}
