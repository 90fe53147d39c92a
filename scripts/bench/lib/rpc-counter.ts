import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcCounter {
  /** Point a process's RPC_URL here: every call is passed on to the node and counted. */
  url: string;
  /** Calls so far by JSON-RPC method (a batch counts each of its calls). */
  counts(): Map<string, number>;
  stop(): Promise<void>;
}

/** Method names of a JSON-RPC body, one call or a batch; none when it is not JSON-RPC. */
export function rpcMethods(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: nothing to count; the node answers it as it would.
    return [];
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  return calls.flatMap((call: unknown) =>
    typeof call === "object" && call !== null && typeof (call as { method?: unknown }).method === "string"
      ? [(call as { method: string }).method]
      : [],
  );
}

/**
 * A pass-through JSON-RPC proxy in the bench process that counts what a process asks its node: the OMS's calls per
 * intent are a figure a regression shows in (as statements per intent are for the database). Adds one local hop
 * (well under a millisecond) per call.
 */
export async function startRpcCounter(upstreamUrl: string): Promise<RpcCounter> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const counts = new Map<string, number>();
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      for (const method of rpcMethods(body.toString("utf8"))) counts.set(method, (counts.get(method) ?? 0) + 1);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: upstream.pathname,
          method: incoming.method,
          headers: { "content-type": "application/json", "content-length": body.length },
          agent,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", (error) => {
        outgoing.writeHead(502, { "content-type": "text/plain" });
        outgoing.end(`rpc counter: ${error.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Calls made between two snapshots of `counts()`, most frequent first. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after]
    .map(([method, count]): [string, number] => [method, count - (before.get(method) ?? 0)])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
}
