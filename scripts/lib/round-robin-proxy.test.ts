import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RoundRobinProxy, startRoundRobinProxy } from "./round-robin-proxy";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function backend(handler: Handler, port = 0): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  return { origin: `http://127.0.0.1:${bound}`, port: bound, close };
}

/** A backend that answers its own name, with what it received, and is healthy at /health. */
const named = (name: string) =>
  backend((req, res) => {
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ name, bytes, xff: req.headers["x-forwarded-for"] ?? null }));
    });
  });

async function proxyOver(origins: string[], healthPath = "/health"): Promise<RoundRobinProxy> {
  const proxy = await startRoundRobinProxy({ port: 0, backends: origins, healthPath, healthIntervalMs: 60_000 });
  closers.push(() => proxy.close());
  return proxy;
}

const nameOf = async (response: Response): Promise<string> => ((await response.json()) as { name: string }).name;

describe("round-robin proxy", () => {
  it("sends successive requests to each backend in turn", async () => {
    const backends = await Promise.all(["a", "b", "c"].map(named));
    const proxy = await proxyOver(backends.map((b) => b.origin));
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(await nameOf(await fetch(`${proxy.url}/x`)));
    expect(names).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("skips a dead backend at once (a GET and a POST with a body), and takes it back once healthy", async () => {
    const [a, b] = await Promise.all([named("a"), named("b")]);
    const proxy = await proxyOver([a.origin, b.origin]);
    await b.close();
    for (let i = 0; i < 4; i++) {
      expect(await nameOf(await fetch(`${proxy.url}/x`))).toBe("a");
      const posted = await fetch(`${proxy.url}/submit`, { method: "POST", body: "x".repeat(1000) });
      expect(await posted.json()).toMatchObject({ name: "a", bytes: 1000 });
    }
    expect(proxy.backends().map((state) => state.isAlive)).toEqual([true, false]);
    // The restarted process listens on the port the proxy knows.
    const revived = await backend((_req, res) => res.end(JSON.stringify({ name: "b" })), b.port);
    await proxy.checkHealth();
    expect(proxy.backends().map((state) => state.isAlive)).toEqual([true, true]);
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await nameOf(await fetch(`${proxy.url}/x`)));
    expect(names).toEqual(new Set(["a", "b"]));
    await revived.close();
  });

  it("answers 503 UPSTREAM_UNAVAILABLE with Retry-After when no backend answers", async () => {
    const a = await named("a");
    const proxy = await proxyOver([a.origin]);
    await a.close();
    const response = await fetch(`${proxy.url}/x`);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect((await response.json()).error.code).toBe("UPSTREAM_UNAVAILABLE");
  });

  it("streams SSE through unbuffered and passes Last-Event-ID", async () => {
    let lastEventId: string | undefined;
    const sse = await backend((req, res) => {
      lastEventId = req.headers["last-event-id"] as string | undefined;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      res.write("id: 42\ndata: first\n\n");
      // The stream stays open: a buffering proxy would hold "first" back until the end.
    });
    const proxy = await proxyOver([sse.origin]);
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/defix/stream`, {
      headers: { "last-event-id": "41" },
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("first event held back")), 2_000)),
    ]);
    expect(new TextDecoder().decode(first.value)).toBe("id: 42\ndata: first\n\n");
    expect(lastEventId).toBe("41");
    controller.abort();
  });

  it("appends the client's address to x-forwarded-for, keeping the chain it arrived with", async () => {
    const a = await named("a");
    const proxy = await proxyOver([a.origin]);
    const direct = (await (await fetch(`${proxy.url}/x`)).json()) as { xff: string };
    expect(direct.xff).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    const chained = (await (
      await fetch(`${proxy.url}/x`, { headers: { "x-forwarded-for": "203.0.113.9" } })
    ).json()) as {
      xff: string;
    };
    expect(chained.xff).toMatch(/^203\.0\.113\.9, (::ffff:)?127\.0\.0\.1$/);
  });

  it("forwards a 5 MB upload whole, and relays a backend's 413 for one it refuses", async () => {
    const a = await named("a");
    const strict = await backend((req, res) => {
      // Like the OMS: refuse by the declared length, drop the rest, then answer so the client can read it.
      req.resume();
      req.on("end", () => {
        res.writeHead(413, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "PAYLOAD_TOO_LARGE", message: "too large" } }));
      });
    });
    const upload = "x".repeat(5 * 1024 * 1024);
    const forwarded = await fetch(`${(await proxyOver([a.origin])).url}/upload`, { method: "POST", body: upload });
    expect(await forwarded.json()).toMatchObject({ name: "a", bytes: upload.length });
    const refused = await fetch(`${(await proxyOver([strict.origin])).url}/upload`, { method: "POST", body: upload });
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("stays up when a backend cuts an upload short, answering that request cleanly", async () => {
    const rude = await backend((req) => req.socket.destroy());
    const a = await named("a");
    const proxy = await proxyOver([rude.origin, a.origin]);
    const cut = await fetch(`${proxy.url}/upload`, { method: "POST", body: "x".repeat(5 * 1024 * 1024) });
    expect(cut.status).toBe(503);
    expect((await cut.json()).error.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(await nameOf(await fetch(`${proxy.url}/x`))).toBe("a");
  });
});
