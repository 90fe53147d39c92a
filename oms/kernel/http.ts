import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import type { ErrorBody } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { declaredLengthCheck, readBodyText } from "./body-limit";
import { isConnectionLoss } from "./database";
import { DomainError, LimitError } from "./errors";
import { validationError } from "./route";

declare module "fastify" {
  interface FastifyRequest {
    /** `performance.now()` when this process's first onRequest hook ran (Server-Timing). */
    receivedAt: number;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A caller's `x-request-id` is kept when it looks like an id (it lands in logs), else we mint one. */
export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers["x-request-id"];
  return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}

interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Fastify's own request errors that are the caller's fault, by fastify error code. */
const FRAMEWORK_ERRORS: Record<string, Omit<MappedError, "details">> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    message: "The request body is too large",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: "Send the request body as application/json",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: ErrorCode.BAD_REQUEST,
    message: "The content-length header does not match the body",
  },
  FST_ERR_BAD_URL: { status: 400, code: ErrorCode.BAD_REQUEST, message: "The request URL is malformed" },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: ErrorCode.BAD_REQUEST, message: "A path parameter is too long" },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: ErrorCode.BAD_REQUEST, message: "The request could not be routed" },
};

export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof ZodError) return mapError(validationError("request", error));
  const code = (error as FastifyError | undefined)?.code;
  const framework = code ? FRAMEWORK_ERRORS[code] : undefined;
  if (framework) return framework;
  if (isConnectionLoss(error)) {
    return {
      status: 503,
      code: ErrorCode.STORE_UNAVAILABLE,
      message: "The OMS database is unavailable; retry shortly",
    };
  }
  return { status: 500, code: ErrorCode.INTERNAL, message: "Internal error; the request id identifies it in the logs" };
}

export function errorBody(mapped: MappedError, requestId: string): ErrorBody {
  const { code, message, details } = mapped;
  return { error: { code, message, ...(details === undefined ? {} : { details }), request_id: requestId } };
}

/**
 * JSON only, at most `bodyLimit` bytes; parse failures are the caller's 400, never a 500. An oversized
 * body is refused before anything else runs and answered so that a client still uploading reads the 413.
 */
export function registerHttpBasics(app: FastifyInstance, bodyLimit: number): void {
  app.decorateRequest("receivedAt", 0);
  // Hooks on every request are plain callbacks: an async one costs a promise and a microtask each.
  // One hook for what every request gets first (fastify runs each hook as a step of its own): its start time and
  // id, and the refusal of a body declared over the limit before any other hook reads or authenticates it.
  const checkDeclaredLength = declaredLengthCheck(bodyLimit);
  app.addHook("onRequest", (request, reply, done) => {
    request.receivedAt = performance.now();
    reply.header("x-request-id", request.id);
    checkDeclaredLength(request, reply, done);
  });
  // The time this process spent on the request up to its serialized answer (auth, handler, store, JSON), for
  // operators' browser tools and the benches: `Server-Timing: app;dur=<ms>`. A callback hook: no promise per request.
  // (fastify's own `reply.elapsedTime` is only kept while a logger or an onResponse hook is on.)
  app.addHook("onSend", (request, reply, payload, done) => {
    // Answers given before the hooks ran (malformed URLs) have no start to measure from.
    if (request.receivedAt > 0) {
      reply.header("server-timing", `app;dur=${(performance.now() - request.receivedAt).toFixed(2)}`);
    }
    done(null, payload);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", async (request: FastifyRequest, payload: IncomingMessage) => {
    const raw = await readBodyText(payload, bodyLimit);
    if (request.routeOptions.config.isJsonRpc) return raw;
    if (raw.trim() === "") return undefined;
    try {
      return parseJson(raw);
    } catch {
      throw new DomainError(ErrorCode.INVALID_JSON, "The request body is not valid JSON");
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error);
    if (error instanceof LimitError) reply.header("retry-after", String(error.retryAfterSeconds));
    if (mapped.status >= 500) request.log.error({ err: error, code: mapped.code }, "request failed");
    else request.log.info({ code: mapped.code, status: mapped.status }, "request rejected");
    return reply.code(mapped.status).send(errorBody(mapped, request.id));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(
      errorBody(
        {
          status: 404,
          code: ErrorCode.NOT_FOUND,
          message: `No route ${request.method} ${request.url.split("?")[0]}`,
        },
        request.id,
      ),
    ),
  );
}

/**
 * JSON.parse that refuses `__proto__` keys: a record field (`execution_params`) copied key by key
 * would otherwise let a body swap an object's prototype.
 */
export function parseJson(text: string): unknown {
  // A key `__proto__` is spelled out or written with `\u` escapes (JSON has no other escape for its letters): text
  // with neither has none, and parses without a reviver (one JS call per value otherwise: ~2 % of a submit's CPU).
  if (!text.includes("__proto__") && !text.includes("\\u")) return JSON.parse(text);
  return JSON.parse(text, refuseProtoKey);
}

function refuseProtoKey(key: string, value: unknown): unknown {
  if (key === "__proto__") throw new SyntaxError("forbidden key __proto__");
  return value;
}
