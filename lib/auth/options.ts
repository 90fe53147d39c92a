import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { rateLimitRefusal } from "./messages";
import { freshOmsToken } from "./oms-token";
import { takeSignInAttemptByAddress, takeSignInAttemptByIp } from "./rate-limits";
import { sameOriginPath } from "./redirect";
import { authSecret } from "./server-config";
import { verifySignIn } from "./sign-in";
import { SiweError } from "./siwe";
import { isSignatureShaped } from "./siwe-bounds";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/**
 * next-auth v4: SIWE through a Credentials provider, JWT session strategy (encrypted, httpOnly cookie).
 * The OMS token is stored inside that cookie and never copied into the session object.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Ethereum",
        credentials: { message: { type: "text" }, signature: { type: "text" } },
        async authorize(credentials, req) {
          const message = credentials?.message ?? "";
          const signature = credentials?.signature ?? "";
          const byIp = await takeSignInAttemptByIp(new Headers(plainHeaders(req.headers)));
          if (!byIp.ok) throw new Error(rateLimitRefusal(byIp.retryAfterSeconds));
          if (!isSignatureShaped(signature)) throw new Error("MALFORMED");
          const byAddress = await takeSignInAttemptByAddress(message);
          if (byAddress && !byAddress.ok) throw new Error(rateLimitRefusal(byAddress.retryAfterSeconds));
          try {
            const address = await verifySignIn({ message, signature: signature as `0x${string}` });
            return { id: address };
          } catch (error) {
            // next-auth hands the thrown message to the client as `error`: send the reason code only.
            if (error instanceof SiweError) throw new Error(error.reason);
            console.error("[auth] sign-in verification failed", error instanceof Error ? error.message : error);
            throw new Error("VERIFICATION_UNAVAILABLE");
          }
        },
      }),
    ],
    callbacks: {
      // next-auth's default accepts any url starting with "/", which lets "/\t/evil.example" through.
      redirect({ url, baseUrl }) {
        return new URL(sameOriginPath(url, baseUrl), baseUrl).href;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id.toLowerCase();
          token.omsToken = undefined;
        }
        const oms = await freshOmsToken(token);
        token.omsToken = oms.token;
        token.omsTokenExpiresAt = oms.expiresAt;
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, address: token.sub ?? "" };
      },
    },
  };
}

/** next-auth hands authorize() the request headers as a plain object (values may be arrays). */
function plainHeaders(headers: Record<string, unknown> | undefined): [string, string][] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) =>
    typeof value === "string" ? [[name, value] as [string, string]] : [],
  );
}
