/**
 * next-auth answers a refused credentials sign-in with its own shape (a redirect, or `{ url }` with
 * `?error=<code>` for `json=true`), whatever the reason. A rate-limit refusal is turned into what every HTTP
 * client understands: status 429 with `Retry-After`, the body unchanged so next-auth's client still reads it.
 */
export async function withRateLimitStatus(response: Response): Promise<Response> {
  const target = response.headers.get("location") ?? (await jsonUrl(response));
  const code = target ? errorCode(target) : null;
  const match = code?.match(/^RATE_LIMITED:(\d+)$/);
  if (!match) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", match[1] ?? "60");
  const isRedirect = headers.has("location");
  // A browser form post needs the redirect to land on the sign-in page; only JSON answers change status.
  if (isRedirect) return new Response(response.body, { status: response.status, headers });
  return new Response(await response.clone().arrayBuffer(), { status: 429, headers });
}

async function jsonUrl(response: Response): Promise<string | null> {
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return null;
  // A body that is not JSON carries no target: the caller then keeps next-auth's response as it is.
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { url?: unknown } | null;
  return typeof body?.url === "string" ? body.url : null;
}

function errorCode(target: string): string | null {
  try {
    return new URL(target, "http://placeholder.invalid").searchParams.get("error");
  } catch {
    return null;
  }
}
