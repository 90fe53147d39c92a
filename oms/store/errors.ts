/** The intent moved on since it was read (another worker, a cancel): re-read and decide again. */
export class StaleIntentError extends Error {
  override name = "StaleIntentError";
  constructor(readonly intentId: string) {
    super(`intent ${intentId} changed concurrently`);
  }
}

/** Unique-constraint violation, recognised in both dialects' error shapes. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** SQLSTATE classes and socket errors that mean "the database connection is gone", not "bad query". */
const CONNECTION_LOSS_CODES = new Set([
  "57P01", // admin_shutdown (pg_terminate_backend, server stop)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * The database went away under a query (PostgreSQL restarted or the session was killed): the pool
 * reconnects on the next checkout, so the caller may retry; nothing of the failed statement was kept.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = "code" in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === "string" && CONNECTION_LOSS_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection error|terminating connection/i.test(message);
}
