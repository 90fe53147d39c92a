import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { withRateLimitStatus } from "@/lib/auth/credentials-response";
import { authOptions } from "@/lib/auth/options";
import { payloadTooLarge, readBoundedBody } from "@/lib/http/bounded-body";

type Context = { params: Promise<{ nextauth: string[] }> };

/** The largest legitimate POST (credentials callback: CSRF token, SIWE message, an ERC-6492 signature) is far below this. */
const MAX_BODY_BYTES = 32 * 1024;

// GET|POST /api/auth/* – next-auth v4 (csrf, session, credentials callback, signout), POST bodies bounded
async function handler(req: NextRequest, context: Context): Promise<Response> {
  if (req.method !== "POST") return NextAuth(req, context, authOptions());
  const body = await readBoundedBody(req, MAX_BODY_BYTES);
  if (!body.ok) return payloadTooLarge(MAX_BODY_BYTES);
  // next-auth reads the body itself; it gets the bounded copy.
  const bounded = new NextRequest(req.url, { method: req.method, headers: req.headers, body: body.bytes });
  return withRateLimitStatus(await NextAuth(bounded, context, authOptions()));
}

export { handler as GET, handler as POST };
