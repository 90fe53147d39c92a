import type { ErrorCode } from "../lib/defix/errors";

/** An error the API maps to `{ error: { code, message, details } }` with `status`. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
