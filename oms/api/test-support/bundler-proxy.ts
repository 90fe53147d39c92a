import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through in front of a real bundler, for tests that must change the chain at an exact point of the OMS's
 * conversation with it: `before(method, action)` runs `action` once, right before the next request of `method` is
 * forwarded (the bundler then validates against the changed chain). Everything else is forwarded untouched.
 */
export interface BundlerProxy {
  url: string;
  /** Where requests go; settable after start because the bundler may start after the OMS that points here. */
  target: string | null;
  before(method: string, action: () => Promise<void>): void;
  /** JSON-RPC methods seen, in order. */
  readonly methods: string[];
  stop(): Promise<void>;
}

export async function startBundlerProxy(port: number): Promise<BundlerProxy> {
  const traps = new Map<string, () => Promise<void>>();
  const methods: string[] = [];
  const proxy: BundlerProxy = {
    url: `http://127.0.0.1:${port}`,
    target: null,
    before: (method, action) => void traps.set(method, action),
    methods,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The OMS's HTTP client keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      forward(body).then(
        (answer) => response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text),
        (error: unknown) =>
          response
            .writeHead(502, { "content-type": "application/json" })
            .end(JSON.stringify({ error: { code: "PROXY_FAILED", message: String(error) } })),
      );
    });
  });
  async function forward(body: string): Promise<{ status: number; text: string }> {
    const method = (JSON.parse(body) as { method?: string }).method ?? "";
    methods.push(method);
    const trap = traps.get(method);
    if (trap) {
      traps.delete(method);
      await trap();
    }
    if (proxy.target === null) throw new Error("the bundler proxy has no target yet");
    const res = await fetch(proxy.target, { method: "POST", headers: { "content-type": "application/json" }, body });
    return { status: res.status, text: await res.text() };
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
