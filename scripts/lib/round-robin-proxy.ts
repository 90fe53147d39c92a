import http from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode } from "../../lib/defix/errors";

/**
 * The local entry port of a service that runs as several processes (`npm start` with OMS_PROCESSES or
 * WEB_INSTANCES > 1): each request goes to the next live backend in turn. It is a development stand-in for a
 * production load balancer (nginx, HAProxy, a cloud LB), which replaces it by doing the same four things:
 * round robin over healthy backends, responses streamed unbuffered (SSE), the client's address appended to
 * `x-forwarded-for`, and an active health check on each backend's health path.
 *
 * Bodies are streamed both ways and never held; size limits are the backends' own (the OMS refuses > 64 KiB).
 * A request is retried on the next backend only when the chosen one refused the connection, which happens
 * before any of its body was read, so a retry never sends a request twice.
 */
export interface RoundRobinProxyOptions {
  port: number;
  host?: string;
  /** Backend origins, e.g. `http://127.0.0.1:8797`. */
  backends: readonly string[];
  /** Path answered by a live backend with a status below 500 (`/health`, `/api/health`). */
  healthPath: string;
  healthIntervalMs?: number;
}

export interface BackendState {
  origin: string;
  isAlive: boolean;
}

export interface RoundRobinProxy {
  url: string;
  backends(): BackendState[];
  /** Checks every backend once, now (the timer does it every `healthIntervalMs`). */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export async function startRoundRobinProxy(options: RoundRobinProxyOptions): Promise<RoundRobinProxy> {
  if (options.backends.length === 0) throw new Error("a proxy needs at least one backend");
  const backends: BackendState[] = options.backends.map((origin) => ({ origin, isAlive: true }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let cursor = 0;

  const pick = (tried: ReadonlySet<BackendState>): BackendState | undefined => {
    for (let step = 0; step < backends.length; step++) {
      const backend = backends[(cursor + step) % backends.length];
      if (backend?.isAlive && !tried.has(backend)) {
        cursor = (cursor + step + 1) % backends.length;
        return backend;
      }
    }
    return undefined;
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, tried: Set<BackendState>): void => {
    const backend = pick(tried);
    if (!backend) {
      refuse(req, res, "No backend of this service is answering right now.");
      return;
    }
    tried.add(backend);
    const target = new URL(backend.origin);
    const upstream = http.request({
      agent,
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req),
    });
    let isBodyStarted = false;
    const startBody = (): void => {
      isBodyStarted = true;
      req.pipe(upstream);
    };
    upstream.once("socket", (socket) => {
      if (socket.connecting) socket.once("connect", startBody);
      else startBody();
    });
    upstream.once("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      // Headers now, every chunk as it comes: an SSE stream's first event must not wait for a buffer to fill.
      res.flushHeaders();
      answer.pipe(res);
      answer.once("error", () => res.destroy());
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (res.destroyed) return; // the client left first and the teardown below caused this
      if (res.headersSent) {
        // The answer was under way: cut the client's connection so it sees a broken response, not a short one.
        res.destroy(error);
        return;
      }
      if (!isBodyStarted) {
        // Refused before it read anything: this backend is down; try the next one.
        backend.isAlive = false;
        forward(req, res, tried);
        return;
      }
      refuse(req, res, `The backend failed while handling the request (${error.code ?? error.message}).`);
    });
    // A client that leaves (an SSE tab closed) releases the backend's stream too.
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
  };

  const server = http.createServer({ noDelay: true }, (req, res) => forward(req, res, new Set()));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });

  const checkHealth = async (): Promise<void> => {
    await Promise.all(
      backends.map(async (backend) => {
        backend.isAlive = await answers(new URL(options.healthPath, backend.origin));
      }),
    );
  };
  let isChecking = false;
  const timer = setInterval(() => {
    if (isChecking) return;
    isChecking = true;
    checkHealth().finally(() => {
      isChecking = false;
    });
  }, options.healthIntervalMs ?? 1_000);
  timer.unref();

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    backends: () => backends.map((backend) => ({ ...backend })),
    checkHealth,
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** The client's headers for the backend, with this hop appended to `x-forwarded-for` (TRUST_PROXY counts it). */
function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers = withoutHopByHop(req.headers);
  const chain = req.headers["x-forwarded-for"];
  const prior = Array.isArray(chain) ? chain.join(", ") : chain;
  const peer = req.socket.remoteAddress ?? "unknown";
  headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
  headers["x-forwarded-proto"] ??= "http";
  return headers;
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((token) => token.trim().toLowerCase());
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) kept[name] = value;
  }
  return kept;
}

/** 503 with the house error body; the rest of an upload is read and dropped so the client sees the answer. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, message: string): void {
  req.unpipe();
  req.resume();
  res.writeHead(503, { "content-type": "application/json", "retry-after": "1", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code: ErrorCode.UPSTREAM_UNAVAILABLE, message } }));
}

function answers(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = http.get(url, { agent: false, timeout: 1_000 }, (answer) => {
      answer.resume();
      resolve((answer.statusCode ?? 500) < 500);
    });
    probe.once("timeout", () => probe.destroy(new Error("health check timed out")));
    probe.once("error", () => resolve(false));
  });
}
