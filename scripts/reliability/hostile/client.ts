import { signSiwe } from "../../../lib/auth/script-siwe";
import { devAccount } from "../../../lib/chain/dev-accounts";

/** A signed-in dashboard user driven with plain fetch: the cookies next-auth sets, kept by hand. */
export interface WebUser {
  address: string;
  cookie: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair?.indexOf("=") ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** CSRF token + its cookie, as the credentials callback needs them. */
export async function csrfFor(base: string): Promise<{ token: string; cookie: string }> {
  const response = await fetch(new URL("/api/auth/csrf", base));
  const jar = new CookieJar();
  jar.take(response);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { token: csrfToken, cookie: jar.header() };
}

/** Signs dev account `index` in through the same SIWE exchange the sign-in page performs. */
export async function signInUser(base: string, chainId: number, index: number): Promise<WebUser> {
  const account = devAccount(index);
  const jar = new CookieJar();
  const csrfResponse = await fetch(new URL("/api/auth/csrf", base));
  jar.take(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const { nonce } = (await (await fetch(new URL("/api/auth/nonce", base), { method: "POST" })).json()) as {
    nonce: string;
  };
  const { message, signature } = await signSiwe(account, { base: new URL(base), chainId, nonce });
  const form = new URLSearchParams({ csrfToken, message, signature, callbackUrl: base, json: "true" });
  const callback = await fetch(new URL("/api/auth/callback/credentials", base), {
    method: "POST",
    body: form,
    headers: {
      cookie: jar.header(),
      origin: new URL(base).origin,
      "content-type": "application/x-www-form-urlencoded",
    },
    redirect: "manual",
  });
  jar.take(callback);
  if (!jar.header().includes("session-token"))
    throw new Error(`sign-in of account #${index} failed: ${callback.status}`);
  const cookie = jar.header();
  return {
    address: account.address.toLowerCase(),
    cookie,
    fetch: (path, init = {}) =>
      fetch(new URL(path, base), {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), cookie },
        redirect: "manual",
      }),
  };
}

/** A bearer token for the OMS, through the script exchange (`/api/auth/token`). */
export async function omsTokenFor(base: string, chainId: number, index: number): Promise<string> {
  const account = devAccount(index);
  const { nonce } = (await (await fetch(new URL("/api/auth/nonce", base), { method: "POST" })).json()) as {
    nonce: string;
  };
  const signed = await signSiwe(account, { base: new URL(base), chainId, nonce });
  const response = await fetch(new URL("/api/auth/token", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(signed),
  });
  if (!response.ok) throw new Error(`token for account #${index}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
