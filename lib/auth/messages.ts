/** Sentences for sign-in refusals (SiweFailure codes and next-auth errors) and for why the user landed on /signin. */
const REFUSALS: Record<string, string> = {
  NONCE_INVALID: "That sign-in request was already used or timed out. Please sign again.",
  DOMAIN_MISMATCH:
    "The wallet signed a message for another site. Open the console at its configured address and retry.",
  CHAIN_MISMATCH: "Your wallet is on another network. Switch it to the deployment's chain and sign again.",
  EXPIRED: "The sign-in message expired before it reached the server. Please sign again.",
  NOT_YET_VALID: "The sign-in message is not valid yet. Check your computer's clock.",
  ISSUED_AT_INVALID: "The sign-in message's time is off. Check your computer's clock and sign again.",
  BAD_SIGNATURE: "The signature does not belong to the connected account.",
  MALFORMED: "The wallet returned an unusable sign-in message.",
  VERIFICATION_UNAVAILABLE: "The signature could not be checked right now (is the chain running?). Try again.",
  CredentialsSignin: "The server refused the signature. Please sign again.",
};

const ARRIVALS: Record<string, string> = {
  expired: "Your session ended. Sign in again to continue.",
  "account-changed":
    "Your wallet switched to another account, so you were signed out. Sign in with the account you want to use.",
};

/**
 * A refusal code, optionally with the server's wait (`RATE_LIMITED:42`, see rateLimitRefusal), as a sentence.
 */
export function refusalMessage(code: string): string {
  const [name = "", detail] = code.split(":", 2);
  if (name === "RATE_LIMITED") {
    const seconds = Number(detail);
    const wait = Number.isInteger(seconds) && seconds > 0 ? formatWait(seconds) : "a minute";
    return `Too many sign-in attempts from your network or account. Wait ${wait}, then sign again.`;
  }
  return REFUSALS[name] ?? "Sign-in failed. Please try again.";
}

/** The code a refused sign-in carries through next-auth's `error` (a string only) when it was rate limited. */
export function rateLimitRefusal(retryAfterSeconds: number): string {
  return `RATE_LIMITED:${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function arrivalMessage(reason: string | undefined): string | null {
  return reason ? (ARRIVALS[reason] ?? null) : null;
}
