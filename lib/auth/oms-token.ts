import "server-only";
import type { JWT } from "next-auth/jwt";
import { issueOmsToken } from "./issuer";

/** Re-issue when less than this is left, so a forwarded token never expires mid-request. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** The session's OMS token, re-issued when missing or close to expiry. The caller decides whether to persist it. */
export async function freshOmsToken(session: JWT): Promise<{ token: string; expiresAt: number; isNew: boolean }> {
  const isUsable =
    typeof session.omsToken === "string" &&
    typeof session.omsTokenExpiresAt === "number" &&
    session.omsTokenExpiresAt - Date.now() > REFRESH_MARGIN_MS;
  if (isUsable) return { token: session.omsToken!, expiresAt: session.omsTokenExpiresAt!, isNew: false };
  if (!session.sub) throw new Error("session has no subject");
  const issued = await issueOmsToken({ subject: session.sub });
  return { token: issued.token, expiresAt: issued.expiresAt.getTime(), isNew: true };
}
