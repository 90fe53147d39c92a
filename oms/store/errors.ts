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
