import "server-only";
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { freshOmsToken } from "@/lib/auth/oms-token";
import { authSecret, nextAuthUrl } from "@/lib/auth/server-config";

export interface BffSession {
  address: string;
  /** The OMS bearer token: forwarded upstream, never written into a response. */
  omsToken: string;
}

/**
 * Reads the encrypted next-auth cookie. The OMS token inside is reused while it has > 5 min left;
 * otherwise a fresh one is minted for this request (the jwt callback persists refreshed tokens
 * whenever the session endpoint runs, which the app shell polls).
 */
export async function readSession(req: NextRequest): Promise<BffSession | null> {
  const jwt = await getToken({ req, secret: authSecret(), secureCookie: nextAuthUrl().protocol === "https:" });
  if (!jwt?.sub) return null;
  const { token } = await freshOmsToken(jwt);
  return { address: jwt.sub, omsToken: token };
}
