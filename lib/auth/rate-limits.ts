import "server-only";
import { clientIp, type RateLimitDecision, rateLimiter } from "@/lib/rate-limit";
import { claimedAddress } from "./siwe-bounds";

const MINUTE = 60_000;

/** A budget from the environment (a positive whole number), else its default. */
function budget(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Sign-in budgets. Per IP (see lib/rate-limit/client-ip.ts for what "IP" means without TRUST_PROXY) they
 * are sized for an office behind one address; per address they stop one wallet's sign-in being retried
 * in a loop. A refused attempt still counts, so hammering does not shorten the wait.
 */
export const authRateLimits = {
  nonce: () => rateLimiter("auth:nonce:ip", { limit: budget("AUTH_NONCE_PER_MIN", 60), windowMs: MINUTE }),
  signInByIp: () =>
    rateLimiter("auth:sign-in:ip", { limit: budget("AUTH_SIGN_IN_PER_IP_PER_MIN", 60), windowMs: MINUTE }),
  signInByAddress: () =>
    rateLimiter("auth:sign-in:address", { limit: budget("AUTH_SIGN_IN_PER_ADDRESS_PER_MIN", 20), windowMs: MINUTE }),
};

/** One sign-in attempt from the caller's IP budget; taken before the request body is read. */
export function takeSignInAttemptByIp(headers: Headers): Promise<RateLimitDecision> {
  return authRateLimits.signInByIp().take(clientIp(headers));
}

/** One attempt from the budget of the address the message names (none for a message that is not SIWE-shaped). */
export async function takeSignInAttemptByAddress(message: string): Promise<RateLimitDecision | null> {
  const address = claimedAddress(message);
  return address ? authRateLimits.signInByAddress().take(address) : null;
}
