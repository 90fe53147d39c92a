import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";

export interface UpstreamRequest {
  url: URL;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  token: string;
  requestId: string;
  body?: unknown;
  /** SSE: the body is streamed through; the timeout covers only the wait for response headers. */
  isStream?: boolean;
  /** Overrides the Accept header (a streamed download is not SSE). */
  accept?: string;
  lastEventId?: string | null;
  timeoutMs: number;
  /** The browser's request signal: a disconnect aborts the upstream call (and its stream). */
  clientSignal?: AbortSignal;
}

/**
 * Calls the OMS (or the strategy runner) with Node's fetch. Its default undici dispatcher keeps connections alive and pools
 * them per origin, so repeated BFF calls reuse sockets to the OMS without extra setup.
 */
export async function callUpstream(request: UpstreamRequest, service = "OMS"): Promise<Response> {
  const controller = new AbortController();
  const onClientAbort = (): void => controller.abort(request.clientSignal?.reason);
  request.clientSignal?.addEventListener("abort", onClientAbort, { once: true });
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    controller.abort(new Error("upstream timeout"));
  }, request.timeoutMs);

  const headers: Record<string, string> = {
    authorization: `Bearer ${request.token}`,
    "x-request-id": request.requestId,
    accept: request.accept ?? (request.isStream ? "text/event-stream" : "application/json"),
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.isStream && request.lastEventId) headers["last-event-id"] = request.lastEventId;

  let upstream: Response;
  try {
    upstream = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
      redirect: "manual",
      cache: "no-store",
    });
  } catch (error) {
    clearTimeout(timer);
    throw mapNetworkError(error, isTimedOut, service);
  }
  if (request.isStream) {
    clearTimeout(timer);
    return upstream;
  }
  try {
    // Buffer JSON bodies so the timeout covers the whole response, not only its headers.
    const text = await upstream.text();
    return new Response(text, { status: upstream.status, headers: upstream.headers });
  } catch (error) {
    throw mapNetworkError(error, isTimedOut, service);
  } finally {
    clearTimeout(timer);
    request.clientSignal?.removeEventListener("abort", onClientAbort);
  }
}

function mapNetworkError(error: unknown, isTimedOut: boolean, service: string): BffError {
  if (isTimedOut) {
    return new BffError(504, ErrorCode.UPSTREAM_TIMEOUT, `The ${service} did not answer in time. Try again.`);
  }
  const cause = error instanceof Error ? error.message : String(error);
  // Logged without URL or headers: the token is in the headers.
  console.warn(`[bff] ${service} call failed: ${cause}`);
  return new BffError(
    502,
    ErrorCode.UPSTREAM_UNAVAILABLE,
    `The ${service} is unreachable right now. Try again shortly.`,
  );
}
