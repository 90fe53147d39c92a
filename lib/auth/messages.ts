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

export function refusalMessage(code: string): string {
  return REFUSALS[code] ?? "Sign-in failed. Please try again.";
}

export function arrivalMessage(reason: string | undefined): string | null {
  return reason ? (ARRIVALS[reason] ?? null) : null;
}

/** Only same-site paths are followed after sign-in, never `//host` or absolute URLs. */
export function safeCallbackPath(value: string | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
