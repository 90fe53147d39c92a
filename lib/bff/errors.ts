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
  return Response.json(body, {
    status: error.status,
    headers: { "x-request-id": requestId, "cache-control": "no-store" },
  });
}

export const unauthenticated = (): BffError =>
  new BffError(401, ErrorCode.UNAUTHENTICATED, "Sign in to continue: the session is missing or has expired.");
