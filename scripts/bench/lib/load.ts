import autocannon, { type RequestSpec, type Result } from "autocannon";

export interface LoadOptions {
  url: string;
  connections?: number;
  /** Seconds; ignored when `amount` is set. */
  durationSec?: number;
  /** Total requests, for runs that must stay bounded in count (submits). */
  amount?: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Per-request mutation (unique submit bodies) and response capture (accepted ids). */
  setupRequest?: RequestSpec["setupRequest"];
  onResponse?: RequestSpec["onResponse"];
  timeoutSec?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status: Record<string, number>;
  durationSec: number;
}

/** One autocannon run; requests/s is completed requests over wall time, latencies in ms. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const hasHooks = options.setupRequest !== undefined || options.onResponse !== undefined;
  const request: RequestSpec = {
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
    setupRequest: options.setupRequest,
    onResponse: options.onResponse,
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections ?? 50,
        duration: options.durationSec ?? 10,
        amount: options.amount,
        timeout: options.timeoutSec ?? 10,
        ...(hasHooks ? { requests: [request] } : request),
      },
      (error, result) => (error ? reject(error) : resolve(summarize(result))),
    );
  });
}

function summarize(result: Result): LoadResult {
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) status[code] = stat.count;
  const total = result.requests.total;
  return {
    rps: result.duration > 0 ? total / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status,
    durationSec: result.duration,
  };
}

/**
 * A warm-up so JIT and connection pools settle before the measured run. Bounded by count, not
 * time: a timed run abandons its in-flight requests, which a slow server would still be working
 * through when the measured run starts.
 */
export async function warmUp(options: LoadOptions): Promise<void> {
  await runLoad({ ...options, amount: (options.connections ?? 50) * 4 });
}
