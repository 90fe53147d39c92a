import { ErrorCode } from "@/lib/defix/errors";

/** A failure the BFF answers itself (never the OMS's): status + a code from lib/defix/errors.ts. */
export class BffError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "BffError";
  }
}

/** The one error shape: `{ error: { code, message, details?, request_id } }`. */
export function errorResponse(error: BffError, requestId: string): Response {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      request_id: requestId,
    },
  };
  const headers: Record<string, string> = { "x-request-id": requestId, "cache-control": "no-store" };
  const retryAfter = retryAfterOf(error.details);
  if (error.status === 429 && retryAfter !== null) headers["retry-after"] = String(retryAfter);
  return Response.json(body, { status: error.status, headers });
}

/** A 429's wait, from its details (`retry_after_seconds`), so every refusal carries `Retry-After`. */
function retryAfterOf(details: unknown): number | null {
  if (typeof details !== "object" || details === null || !("retry_after_seconds" in details)) return null;
  const seconds = details.retry_after_seconds;
  return typeof seconds === "number" && seconds > 0 ? Math.ceil(seconds) : null;
}

export const unauthenticated = (): BffError =>
  new BffError(401, ErrorCode.UNAUTHENTICATED, "Sign in to continue: the session is missing or has expired.");
