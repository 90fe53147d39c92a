// Kept apart from fetcher.ts (zod, the contract schemas) so the app-wide query provider can tell a
// BFF 401 without putting the schemas into every page's first load.

/** An HTTP failure as a value the UI can branch on: status + the OMS/BFF error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
