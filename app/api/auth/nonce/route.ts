import "server-only";
import { authRateLimits } from "@/lib/auth/rate-limits";
import { sharedNonceStore } from "@/lib/auth/shared-nonce-store";
import { ErrorCode } from "@/lib/defix/errors";
import { clientIp, rateLimitedResponse } from "@/lib/rate-limit";

// POST /api/auth/nonce – a single-use SIWE nonce, valid for 5 minutes (per-IP rate and outstanding-nonce limits)
export async function POST(req: Request): Promise<Response> {
  const ip = clientIp(req.headers);
  const decision = await authRateLimits.nonce().take(ip);
  if (!decision.ok) return rateLimitedResponse(decision);
  const issued = await sharedNonceStore()
    .issue(ip)
    .catch((error: unknown) => {
      console.error("[auth] nonce store unavailable", error instanceof Error ? error.message : String(error));
      return null;
    });
  if (issued === null) {
    return Response.json(
      { error: { code: ErrorCode.UPSTREAM_UNAVAILABLE, message: "Sign-in is unavailable right now. Try again." } },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }
  if (!issued.ok) {
    // Refused rather than evicting someone else's nonce; the wait is until the caller's (or any) oldest expires.
    return rateLimitedResponse({
      ok: false,
      limit: issued.limit,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(issued.retryAfterMs / 1000)),
    });
  }
  return Response.json(
    { nonce: issued.nonce, expires_at: issued.expiresAt.toISOString() },
    { headers: { "cache-control": "no-store" } },
  );
}
