import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { ErrorCode } from "@/lib/defix/errors";
import { BffError } from "./errors";
import { invalidAnswer } from "./validated";

export interface UpstreamRequest {
  url: URL;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  token: string;
  requestId: string;
  body?: unknown;
  /** Overrides the Accept header (JSON calls: application/json; streams: text/event-stream; a download: any type). */
  accept?: string;
  /** Streams only: where a reconnecting browser's stream resumes. */
  lastEventId?: string | null;
  timeoutMs: number;
  /** The browser's request signal: a disconnect aborts the upstream call (and its stream). */
  clientSignal?: AbortSignal;
}

/** A buffered JSON answer: its status, the two headers the browser is given, and its text. */
export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
}

/** Larger JSON answers are refused (a page of history is a few hundred kB; exports are streamed, not buffered). */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** Kept-alive sockets per upstream origin (the OMS, the runner), shared by every request of this process. */
const agents = new Map<string, HttpAgent>();
function agentFor(url: URL): HttpAgent {
  let agent = agents.get(url.origin);
  if (agent === undefined) {
    const options = { keepAlive: true, maxSockets: 64 };
    agent = url.protocol === "https:" ? new HttpsAgent(options) : new HttpAgent(options);
    agents.set(url.origin, agent);
  }
  return agent;
}

/**
 * A JSON call to the OMS (or the strategy runner), answer buffered, over `node:http` with kept-alive sockets: every
 * dashboard read goes through here, and undici's fetch (a Request, Headers, an AbortSignal and web streams per call,
 * then a Response to read again) cost more CPU than the rest of the BFF's own work (`npm run bench -- bff`). The
 * timeout covers the whole answer; the browser going away ends the call.
 */
export function callUpstream(request: UpstreamRequest, service = "OMS"): Promise<UpstreamAnswer> {
  const url = request.url;
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(new BffError(502, ErrorCode.UPSTREAM_UNAVAILABLE, `The ${service} URL is not http(s).`));
  }
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${request.token}`,
    "x-request-id": request.requestId,
    accept: request.accept ?? "application/json",
  };
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<UpstreamAnswer>((resolve, reject) => {
    let isSettled = false;
    let isTimedOut = false;
    const finish = (error: unknown, answer?: UpstreamAnswer): void => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      request.clientSignal?.removeEventListener("abort", onClientAbort);
      if (answer !== undefined) resolve(answer);
      else {
        outgoing.destroy();
        reject(error instanceof BffError ? error : mapNetworkError(error, isTimedOut, service));
      }
    };
    const onClientAbort = (): void => finish(new Error("the browser went away"));
    const timer = setTimeout(() => {
      isTimedOut = true;
      finish(new Error("upstream timeout"));
    }, request.timeoutMs);
    const outgoing = send(
      url,
      { method: request.method, agent: agentFor(url), headers },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          else finish(invalidAnswer(service, `over ${MAX_ANSWER_BYTES} bytes`));
        });
        response.on("error", (error) => finish(error));
        response.on("end", () =>
          finish(null, {
            status: response.statusCode ?? 502,
            contentType: headerOf(response, "content-type"),
            retryAfter: headerOf(response, "retry-after"),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("error", (error) => finish(error));
    if (request.clientSignal?.aborted) onClientAbort();
    else request.clientSignal?.addEventListener("abort", onClientAbort, { once: true });
    outgoing.end(payload);
  });
}

function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return typeof value === "string" ? value : null;
}

/**
 * A streamed call (SSE, a download) with Node's fetch: the body is handed on as a web stream, so the timeout covers
 * only the wait for response headers, and the browser going away closes the upstream socket.
 */
export async function streamUpstream(request: UpstreamRequest, service = "OMS"): Promise<Response> {
  const controller = new AbortController();
  // Left in place: the browser going away later aborts the body's stream, closing the upstream socket.
  request.clientSignal?.addEventListener("abort", () => controller.abort(request.clientSignal?.reason), { once: true });
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    controller.abort(new Error("upstream timeout"));
  }, request.timeoutMs);

  const headers: Record<string, string> = {
    authorization: `Bearer ${request.token}`,
    "x-request-id": request.requestId,
    accept: request.accept ?? "text/event-stream",
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.lastEventId) headers["last-event-id"] = request.lastEventId;
  try {
    return await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: controller.signal,
      redirect: "manual",
      cache: "no-store",
    });
  } catch (error) {
    throw mapNetworkError(error, isTimedOut, service);
  } finally {
    clearTimeout(timer);
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
