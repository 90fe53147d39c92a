import type { z } from "zod";
import { ErrorBody } from "@/lib/defix/common";
import { ApiError } from "./api-error";

export { ApiError, isApiError } from "./api-error";

export async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = ErrorBody.safeParse(body);
  const retryAfter = Number(response.headers.get("retry-after"));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  if (parsed.success) {
    const { code, message } = parsed.data.error;
    return new ApiError(response.status, code, message, retryAfterSeconds);
  }
  // No error body at all (a proxy page, a crashed server): keep the status, invent no message text.
  return new ApiError(response.status, response.status >= 500 ? "INTERNAL" : "BAD_REQUEST", response.statusText);
}

/**
 * Fetches a same-origin BFF route and validates the body against the shared contract, so a
 * contract drift shows up as a clear error at the boundary instead of `undefined` deep in a view.
 */
export async function fetchJson<T extends z.ZodType>(
  url: string,
  schema: T,
  init?: RequestInit & { signal?: AbortSignal },
): Promise<z.output<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "The dashboard server could not be reached.");
  }
  if (!response.ok) throw await toApiError(response);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new ApiError(response.status, "CONTRACT_MISMATCH", `Unexpected response from ${url}`);
  return parsed.data;
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
