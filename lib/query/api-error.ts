// Kept apart from fetcher.ts (zod, the contract schemas) so the app-wide query provider can tell a
// BFF 401 without putting the schemas into every page's first load.

/** An HTTP failure as a value the UI can branch on: status + the OMS/BFF error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From `Retry-After` on a 429 (RATE_LIMITED, TOO_MANY_STREAMS): when asking again can succeed. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get isUpstreamDown(): boolean {
    return (
      this.code === "UPSTREAM_UNAVAILABLE" ||
      this.code === "UPSTREAM_TIMEOUT" ||
      this.code === "STORE_UNAVAILABLE" ||
      this.status === 502
    );
  }
}

/** Whether a refusal only says "not now": a limit that refills, worth one retry after the wait it names. */
export function isRateLimited(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 429;
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
