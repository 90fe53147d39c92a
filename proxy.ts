import { type NextRequest, NextResponse } from "next/server";
import { sameOriginPath } from "@/lib/auth/redirect";
import { publicRpcUrl, rpcUrl } from "@/lib/auth/server-config";
import { connectSource, pageContentSecurityPolicy } from "@/lib/security/csp";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PUBLIC_PAGES = ["/signin"];

/**
 * Every page request: a fresh CSP nonce (Next reads the policy from the request headers and puts the nonce
 * on its scripts), then an optimistic gate: no session cookie at all → /signin with a callback. The gate
 * never trusts the cookie's contents; the (app) layout and every BFF handler verify the session themselves.
 */
export function proxy(request: NextRequest): NextResponse {
  const hasSessionCookie = request.cookies
    .getAll()
    .some((cookie) => SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)));
  const policy = pageContentSecurityPolicy({
    nonce: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
    isDev: process.env.NODE_ENV === "development",
    // The full RPC_URL's origin only where a session may be (the canvas); signed-out pages get the public one.
    connectSources: [publicRpcUrl(), hasSessionCookie ? rpcUrl() : undefined]
      .map(connectSource)
      .filter((source): source is string => source !== null),
  });

  const isPublic = PUBLIC_PAGES.some((page) => request.nextUrl.pathname === page);
  const response = hasSessionCookie || isPublic ? pass(request, policy) : toSignIn(request);
  response.headers.set("content-security-policy", policy);
  return response;
}

function pass(request: NextRequest, policy: string): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  return NextResponse.next({ request: { headers } });
}

function toSignIn(request: NextRequest): NextResponse {
  const signIn = new URL("/signin", request.url);
  const target = sameOriginPath(`${request.nextUrl.pathname}${request.nextUrl.search}`, request.nextUrl.origin);
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only (the sign-in page included, for its CSP): API routes answer 401 themselves and get their headers from
  // next.config.mjs; Next's own paths (static files, the dev server's HMR socket) and assets stay public.
  matcher: ["/((?!api/|_next/|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|css|js|woff2?)$).*)"],
};
