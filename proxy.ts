import { type NextRequest, NextResponse } from "next/server";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/**
 * Optimistic gate for pages: no session cookie at all → /signin with a callback. It never trusts the
 * cookie's contents; the (app) layout and every BFF handler verify the session themselves.
 */
export function proxy(request: NextRequest): NextResponse {
  const hasSessionCookie = request.cookies
    .getAll()
    .some((cookie) => SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)));
  if (hasSessionCookie) return NextResponse.next();
  const signIn = new URL("/signin", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: API routes answer 401 themselves, static assets and the sign-in page stay public.
  matcher: ["/((?!api/|_next/|signin|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|css|js|woff2?)$).*)"],
};
