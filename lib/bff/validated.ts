import "server-only";
import type { z } from "zod";
import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

/**
 * Checks a successful upstream JSON answer against its `lib/defix` schema before it goes to the browser,
 * which takes the typed JSON without parsing it again (keeping zod out of the pages' bundles). What is
 * passed on is the schema's output, as the browser's parse used to produce it.
 * Error answers are passed on as they are: the browser reads only their `{ error: { code, message } }`.
 */
export function checkedBody(text: string, status: number, schema: z.ZodType, service: string): string {
  if (status < 200 || status >= 300) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidAnswer(service, "not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join(".") || "(root)";
    throw invalidAnswer(service, `does not match the contract at ${where}`);
  }
  // The parsed value, not the upstream's bytes: the browser's types are the schema's output (addresses
  // lowercased, defaults filled), which it used to get by parsing there.
  return JSON.stringify(result.data);
}

/** An upstream answer this dashboard will not pass on: logged with why (never its body), answered 502 UPSTREAM_INVALID. */
export function invalidAnswer(service: string, why: string): BffError {
  // Logged without the body: it may carry another user's data or a token the OMS should not have echoed.
  console.warn(`[bff] ${service} answer ${why}`);
  return new BffError(
    502,
    ErrorCode.UPSTREAM_INVALID,
    `The ${service} answered something this dashboard does not understand. Try again later.`,
  );
}
