import "server-only";
import { z } from "zod";
import { issueOmsToken } from "@/lib/auth/issuer";
import { takeSignInAttemptByAddress, takeSignInAttemptByIp } from "@/lib/auth/rate-limits";
import { verifySignIn } from "@/lib/auth/sign-in";
import { SiweError } from "@/lib/auth/siwe";
import { SIWE_LIMITS } from "@/lib/auth/siwe-bounds";
import { Hex } from "@/lib/defix";
import { ErrorCode } from "@/lib/defix/errors";
import { payloadTooLarge, readBoundedBody } from "@/lib/http/bounded-body";
import { rateLimitedResponse } from "@/lib/rate-limit";

const TokenRequest = z.strictObject({
  message: z.string().min(1).max(SIWE_LIMITS.maxMessageChars),
  signature: z.string().max(SIWE_LIMITS.maxSignatureChars).pipe(Hex),
});
/** JSON of the largest valid request (message escaped, longest signature) with room to spare. */
const MAX_BODY_BYTES = 16 * 1024;

const error = (status: number, code: string, message: string): Response =>
  Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });

// POST /api/auth/token – scripts: a signed SIWE message in, an OMS bearer token out ({ token, expires_at })
export async function POST(req: Request): Promise<Response> {
  // Browsers always send Sec-Fetch-Site; the dashboard never calls this route, so no page can obtain a token here.
  if (req.headers.has("sec-fetch-site")) {
    return error(403, ErrorCode.FORBIDDEN, "This endpoint is for scripts; the dashboard signs in through /signin.");
  }
  const byIp = await takeSignInAttemptByIp(req.headers);
  if (!byIp.ok) return rateLimitedResponse(byIp);
  const body = await readBoundedBody(req, MAX_BODY_BYTES);
  if (!body.ok) return payloadTooLarge(MAX_BODY_BYTES);
  const parsed = TokenRequest.safeParse(parseJson(body.bytes));
  if (!parsed.success)
    return error(400, ErrorCode.VALIDATION_FAILED, "Send { message, signature } (a signed SIWE message).");
  const byAddress = await takeSignInAttemptByAddress(parsed.data.message);
  if (byAddress && !byAddress.ok) return rateLimitedResponse(byAddress);
  try {
    const address = await verifySignIn(parsed.data);
    const { token, expiresAt } = await issueOmsToken({ subject: address });
    return Response.json({ token, expires_at: expiresAt.toISOString() }, { headers: { "cache-control": "no-store" } });
  } catch (caught) {
    if (caught instanceof SiweError) return error(401, caught.reason, caught.message);
    console.error("[auth] token request failed", caught instanceof Error ? caught.message : String(caught));
    return error(503, ErrorCode.CHAIN_UNAVAILABLE, "The signature could not be checked right now. Try again.");
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null; // not JSON: answered as VALIDATION_FAILED like any other wrong shape
  }
}
