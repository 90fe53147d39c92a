import type { FastifyServerOptions } from "fastify";

/** What engine, stores and key service log through: the service's pino once the app exists. */
export interface Logger {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Logs nothing: for callers given no logger, and for tests. */
export const silentLog: Logger = { warn: () => undefined, error: () => undefined };

/** Pino options that keep bearer tokens and cookies out of every log line. */
export const SAFE_LOGGER = {
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization"], censor: "[redacted]" },
};

/** The caller's logger options with redaction forced on; `true` means info level. */
export function withRedaction(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (!logger) return false;
  return typeof logger === "object" ? { ...logger, ...SAFE_LOGGER } : { ...SAFE_LOGGER, level: "info" };
}
