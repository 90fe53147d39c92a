export interface ErrorHint {
  /** A short plain-language name of what went wrong. */
  title: string;
  /** What to check or do next, written for a vault manager rather than an engineer. */
  hint: string;
  /** Where the fix usually happens: drives the call-to-action the UI offers next to the hint. */
  action: "canvas" | "retry" | "none";
}

/**
 * The one hint every view's load error can need (the OMS's database away), apart from the table in
 * error-hints.ts, so a page that shows no other error code does not ship every code's text.
 */
export const STORE_UNAVAILABLE_HINT: ErrorHint = {
  title: "OMS database unavailable",
  hint: "The OMS lost its database connection (a restart or failover). It reconnects on its own; retry in a moment. Nothing that was accepted is lost.",
  action: "retry",
};
