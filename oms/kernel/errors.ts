import { DomainError } from "../../lib/defix/domain-error";
import type { ErrorCode } from "../../lib/defix/errors";

export { DomainError, ERROR_STATUS } from "../../lib/defix/domain-error";

/** A 429: the error body says which limit (`details`), the `Retry-After` header when to try again. */
export class LimitError extends DomainError {
  constructor(
    code: typeof ErrorCode.RATE_LIMITED | typeof ErrorCode.TOO_MANY_STREAMS,
    message: string,
    readonly retryAfterSeconds: number,
    details: { scope: string; limit: number; window_ms?: number },
  ) {
    super(code, message, { ...details, retry_after_s: retryAfterSeconds });
    this.name = "LimitError";
  }
}
