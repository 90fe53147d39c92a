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
  /** Sockets kept open to the node at most. */
  maxSockets?: number;
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
 * The OMS's JSON-RPC transport to its node: viem's `http` semantics (the same error classes, so revert data, retry
 * rules and `sendOutcomeOf` see what they saw) over `node:http` with kept-alive sockets instead of `fetch`. The
 * engine makes ~23 requests per intent; through undici's fetch (a Request, Headers, an AbortSignal and a web
 * stream per request) each cost ~0.6 ms of CPU on the bench machine, here ~0.2 (`npm run bench -- e2e-latency`).
 */
export function rpcTransport(url: string, options: RpcTransportOptions = {}): CustomTransport {
  const target = new URL(url);
  const isHttps = target.protocol === "https:";
  if (!isHttps && target.protocol !== "http:") throw new Error(`RPC URL must be http(s): ${target.protocol}`);
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
  const agent = isHttps ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = isHttps ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 10_485_760;
  let nextId = 0;

  function post(body: RpcBody): Promise<{ status: number; text: string }> {
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

  return custom(
    {
      async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
        const body: RpcBody = { jsonrpc: "2.0", id: ++nextId, method, params };
        const { status, text } = await post(body);
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
    { retryCount: options.retryCount ?? 3, retryDelay: options.retryDelay },
  );
}
