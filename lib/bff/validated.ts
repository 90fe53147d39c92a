import "server-only";
import type { z } from "zod";
import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

/**
 * Checks a successful upstream JSON answer against its `lib/defix` schema before it goes to the browser,
 * which takes the typed JSON without parsing it again (keeping zod out of the pages' bundles). The bytes
 * passed on are the upstream's own (the schema may transform; the wire stays what the OMS wrote).
 * Error answers are passed on as they are: the browser reads only their `{ error: { code, message } }`.
 */
export function checkedBody(text: string, status: number, schema: z.ZodType, service: string): string {
  if (status < 200 || status >= 300) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(service, "not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join(".") || "(root)";
    throw invalid(service, `does not match the contract at ${where}`);
  }
  return text;
}

function invalid(service: string, why: string): BffError {
  // Logged without the body: it may carry another user's data or a token the OMS should not have echoed.
  console.warn(`[bff] ${service} answer ${why}`);
  return new BffError(
    502,
    ErrorCode.UPSTREAM_INVALID,
    `The ${service} answered something this dashboard does not understand. Try again later.`,
  );
}
