/**
 * One request to an OMS as `sub` (a bearer from `bearer`; `null` = no token), answered with the status,
 * headers, raw text and the parsed JSON (null when empty). A string body is sent as is (malformed JSON
 * tests), anything else as JSON.
 */
export function apiCaller(baseUrl: string, bearer: (sub: string) => Promise<{ authorization: string }>) {
  return async (method: string, path: string, sub: string | null, body?: unknown, headers = {}) => {
    const auth = sub ? await bearer(sub) : {};
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
  };
}

export type ApiCall = ReturnType<typeof apiCaller>;
