import { ApiError } from "./api-error";

export { ApiError, isApiError } from "./api-error";

export async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  const error = errorOf(body);
  if (error) return new ApiError(response.status, error.code, error.message, retryAfterSeconds);
  // No error body at all (a proxy page, a crashed server): keep the status, invent no message text.
  return new ApiError(response.status, response.status >= 500 ? "INTERNAL" : "BAD_REQUEST", response.statusText);
}

/** `{ error: { code, message } }` read by hand: this file is in every page's bundle, zod is not. */
function errorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error: unknown = body.error;
  if (typeof error !== "object" || error === null || !("code" in error) || !("message" in error)) return null;
  const { code, message } = error;
  return typeof code === "string" && typeof message === "string" ? { code, message } : null;
}

/**
 * Fetches a same-origin BFF route and returns its JSON as `T`. Not parsed again here: the BFF checks
 * every OMS/runner success answer against its `lib/defix` schema (a mismatch is a 502 UPSTREAM_INVALID),
 * so the browser does not carry zod and the contract schemas. `T` is the schema's inferred type.
 */
export async function fetchJson<T>(url: string, init?: RequestInit & { signal?: AbortSignal }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "The dashboard server could not be reached.");
  }
  if (!response.ok) throw await toApiError(response);
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(response.status, "CONTRACT_MISMATCH", `Unexpected response from ${url}`);
  }
}

export function queryString(params: Record<string, string | readonly string[] | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
