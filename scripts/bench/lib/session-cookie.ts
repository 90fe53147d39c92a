import { encode } from "next-auth/jwt";

/** The cookie name next-auth v4 uses over plain http (the stack serves 127.0.0.1 without TLS). */
export const SESSION_COOKIE = "next-auth.session-token";

/**
 * A signed-in session as the dashboard would have written it after SIWE: the encrypted next-auth JWT
 * with the wallet as `sub` and the OMS token inside, so the BFF forwards it without re-issuing.
 */
export async function sessionCookie(options: { address: string; omsToken: string; secret: string }): Promise<string> {
  const value = await encode({
    secret: options.secret,
    token: {
      sub: options.address.toLowerCase(),
      omsToken: options.omsToken,
      omsTokenExpiresAt: Date.now() + 55 * 60_000,
    },
    maxAge: 3_600,
  });
  return `${SESSION_COOKIE}=${value}`;
}
