import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

/**
 * Same-origin check for state-changing routes. Browsers send `Sec-Fetch-Site` and `Origin` on every
 * POST and a page cannot forge either, so a cross-site form or fetch is refused here even though the
 * session cookie (SameSite=Lax) would not be attached to most of them anyway. Requests with neither
 * header come from non-browser clients (curl with a cookie), which CSRF cannot target.
 */
export function assertSameOrigin(headers: Headers, allowedOrigins: readonly string[]): void {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") {
    throw new BffError(403, ErrorCode.CSRF_REJECTED, "Cross-site requests may not change state");
  }
  const origin = headers.get("origin");
  if (origin !== null && !allowedOrigins.includes(origin)) {
    throw new BffError(403, ErrorCode.CSRF_REJECTED, "Cross-site requests may not change state");
  }
}

/** NEXTAUTH_URL's origin plus the origin the browser actually used (Host cannot be set by page script). */
export function allowedOriginsFor(headers: Headers, configuredOrigin: string): string[] {
  const host = headers.get("host");
  const proto = headers.get("x-forwarded-proto") ?? new URL(configuredOrigin).protocol.replace(":", "");
  return host ? [configuredOrigin, `${proto}://${host}`] : [configuredOrigin];
}
