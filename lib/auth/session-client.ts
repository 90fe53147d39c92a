/**
 * The two calls the dashboard pages make to next-auth (v4) from the browser, as plain fetches: its React
 * client (`SessionProvider`, `signOut`) weighs 12–25 kB gzip on every page for what is two requests here.
 * The sign-in page and the wallet pages keep next-auth/react.
 */

const AUTH_BASE = "/api/auth";

export type SessionCheck = "active" | "ended" | "unknown";

/**
 * Asks next-auth's session endpoint (which also re-issues the OMS token inside the cookie). It answers `{}`
 * when there is no session; a network error or a 5xx says nothing about the session, so it is "unknown".
 */
export async function checkSession(): Promise<SessionCheck> {
  let response: Response;
  try {
    response = await fetch(`${AUTH_BASE}/session`, { headers: { accept: "application/json" }, cache: "no-store" });
  } catch (error) {
    console.warn("session check failed", error);
    return "unknown";
  }
  if (!response.ok) return "unknown";
  const body: unknown = await response.json().catch(() => null);
  if (typeof body !== "object" || body === null) return "unknown";
  return "user" in body && "expires" in body ? "active" : "ended";
}

/**
 * What next-auth's `signOut()` does: fetch the CSRF token, post it to the sign-out endpoint (which clears
 * the cookie), then go where next-auth says (the callback URL, checked against the site by next-auth).
 */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const csrf = await fetch(`${AUTH_BASE}/csrf`, { headers: { accept: "application/json" }, cache: "no-store" });
  const csrfBody: unknown = await csrf.json();
  const csrfToken = readString(csrfBody, "csrfToken");
  if (!csrf.ok || csrfToken === null) throw new Error(`no CSRF token from next-auth (status ${csrf.status})`);
  const response = await fetch(`${AUTH_BASE}/signout`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: "true" }),
  });
  if (!response.ok) throw new Error(`next-auth sign-out answered ${response.status}`);
  const url = readString(await response.json(), "url") ?? callbackUrl;
  window.location.assign(url);
}

function readString(body: unknown, key: string): string | null {
  if (typeof body !== "object" || body === null || !(key in body)) return null;
  const value: unknown = (body as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}
