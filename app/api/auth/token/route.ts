import "server-only";
import { z } from "zod";
import { issueOmsToken } from "@/lib/auth/issuer";
import { verifySignIn } from "@/lib/auth/sign-in";
import { SiweError } from "@/lib/auth/siwe";
import { Hex } from "@/lib/defix";
import { ErrorCode } from "@/lib/defix/errors";

const TokenRequest = z.strictObject({ message: z.string().min(1).max(4000), signature: Hex });

const error = (status: number, code: string, message: string): Response =>
  Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });

// POST /api/auth/token – scripts: a signed SIWE message in, an OMS bearer token out ({ token, expires_at })
export async function POST(req: Request): Promise<Response> {
  // Browsers always send Sec-Fetch-Site; the dashboard never calls this route, so no page can obtain a token here.
  if (req.headers.has("sec-fetch-site")) {
    return error(403, ErrorCode.FORBIDDEN, "This endpoint is for scripts; the dashboard signs in through /signin.");
  }
  const parsed = TokenRequest.safeParse(await req.json().catch(() => null));
  if (!parsed.success)
    return error(400, ErrorCode.VALIDATION_FAILED, "Send { message, signature } (a signed SIWE message).");
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
