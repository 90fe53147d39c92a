import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { type CustomTransport, custom, HttpRequestError, RpcRequestError, stringify, TimeoutError } from "viem";

export interface RpcTransportOptions {
  /** Retries of a request that failed in a way worth retrying (viem's rules: a lost connection, 5xx, 429…). */
  retryCount?: number;
  /** The first retry's delay in ms, doubling after (viem's default: 150). */
  retryDelay?: number;
  /** Per request, answer body included (viem's http default). */
  timeoutMs?: number;
  /** Answers larger than this are refused (viem's http default, 10 MiB). */
  maxResponseBytes?: number;
}

/** One node's kept-alive sockets, shared by every transport made from it; `close()` ends them. */
export interface RpcConnection {
  transport(options?: RpcTransportOptions): CustomTransport;
  close(): void;
}

interface RpcBody {
  jsonrpc: "2.0";
  id: number;
  method: string;
  params?: unknown;
  [key: string]: unknown;
}

interface RpcAnswer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * The OMS's JSON-RPC connection to its node, one per process (its clients share the kept-alive sockets, at most 32;
 * the OMS's close ends them). Each `transport()` has viem's `http` semantics (the same error classes, so revert data,
 * retry rules and `sendOutcomeOf` see what they saw) over `node:http` instead of `fetch`. The engine makes ~23
 * requests per intent; through undici's fetch (a Request, Headers, an AbortSignal and a web stream per request) each
 * cost ~0.6 ms of CPU on the bench machine, here ~0.2 (`npm run bench -- e2e-latency`).
 */
export function rpcConnection(url: string): RpcConnection {
  const target = new URL(url);
  const isHttps = target.protocol === "https:";
  if (!isHttps && target.protocol !== "http:") throw new Error(`RPC URL must be http(s): ${target.protocol}`);
  const agentOptions = { keepAlive: true, maxSockets: 32 };
  const agent = isHttps ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = isHttps ? httpsRequest : httpRequest;
  let nextId = 0;

  function post(body: RpcBody, timeoutMs: number, maxBytes: number): Promise<{ status: number; text: string }> {
    const payload = stringify(body);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new TimeoutError({ body, url })), timeoutMs);
      const request = send(
        target,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) fail(new HttpRequestError({ body, url, details: `answer over ${maxBytes} bytes` }));
            else chunks.push(chunk);
          });
          response.on("error", (error) =>
            fail(new HttpRequestError({ body, url, cause: error, details: error.message })),
          );
          response.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
          });
        },
      );
      request.on("error", (error) => fail(new HttpRequestError({ body, url, cause: error, details: error.message })));
      request.end(payload);
    });
  }

  function transport(transportOptions: RpcTransportOptions = {}): CustomTransport {
    const timeoutMs = transportOptions.timeoutMs ?? 10_000;
    const maxBytes = transportOptions.maxResponseBytes ?? 10_485_760;
    return custom(
      {
        async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
          const body: RpcBody = { jsonrpc: "2.0", id: ++nextId, method, params };
          const { status, text } = await post(body, timeoutMs, maxBytes);
          let answer: RpcAnswer | null = null;
          try {
            answer = JSON.parse(text) as RpcAnswer;
          } catch (error) {
            // Not JSON: a proxy's error page, say. The status decides whether it is retried.
            const details = error instanceof Error ? `${error.message}: ${text.slice(0, 200)}` : text.slice(0, 200);
            throw new HttpRequestError({ body, url, status, details });
          }
          const isOk = status >= 200 && status < 300;
          if (answer?.error !== undefined)
            throw new RpcRequestError({ body, url, error: answer.error, status: isOk ? undefined : status });
          if (!isOk) throw new HttpRequestError({ body, url, status, details: text.slice(0, 200) });
          return answer?.result;
        },
      },
      { retryCount: transportOptions.retryCount ?? 3, retryDelay: transportOptions.retryDelay },
    );
  }

  return { transport, close: () => agent.destroy() };
}
