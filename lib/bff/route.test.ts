import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { IntentId, ListIntentsQuery } from "@/lib/defix";

vi.mock("server-only", () => ({}));
const session = vi.hoisted(() => ({ current: null as { address: string; omsToken: string } | null }));
vi.mock("./session", () => ({ readSession: async () => session.current }));
const config = vi.hoisted(() => ({ omsUrl: "http://127.0.0.1:1" }));
vi.mock("@/lib/auth/server-config", () => ({
  omsUrl: () => config.omsUrl,
  nextAuthUrl: () => new URL("http://localhost:3000"),
}));

const { withOms } = await import("./route");
const { MAX_ANSWER_BYTES } = await import("./upstream");

const TOKEN = "header.payload.signature-of-the-user";
const INTENT = "7d9f1d2e-3c4b-4a5d-8e6f-0a1b2c3d4e5f";
interface Seen {
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
}
let seen: Seen[] = [];
let server: Server;
let hang = false;
/** Upstream requests whose connection the BFF closed (the browser went away, a timeout). */
let closedEarly = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", method: req.method ?? "", headers: req.headers });
    res.on("close", () => {
      if (!res.writableEnded) closedEarly++;
    });
    if (hang) return;
    if (req.url?.startsWith("/defix/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("event: ping\ndata: 1\n\n");
      // The second chunk is held back so the test sees the first one arrive unbuffered.
      setTimeout(() => res.end("event: ping\ndata: 2\n\n"), 300);
      return;
    }
    if (req.url?.startsWith("/defix/download")) {
      res.writeHead(200, {
        "content-type": "application/x-ndjson",
        "content-disposition": 'attachment; filename="audit.jsonl"',
        "set-cookie": "upstream=1",
      });
      res.end('{"n":1}\n');
      return;
    }
    if (req.url?.startsWith("/defix/huge")) {
      res.writeHead(200, { "content-type": "application/json" });
      // Over the BFF's cap for a buffered answer, sent in pieces as a real upstream would.
      const piece = " ".repeat(1024 * 1024);
      for (let i = 0; i <= MAX_ANSWER_BYTES / piece.length; i++) res.write(piece);
      res.end('{"ok":true}');
      return;
    }
    if (req.url?.startsWith("/defix/busy")) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "7", "set-cookie": "upstream=1" });
      res.end(JSON.stringify({ error: { code: "RATE_LIMITED", message: "slow down" } }));
      return;
    }
    if (req.url?.startsWith("/defix/malformed")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url.includes("text") ? "<html>proxy page</html>" : JSON.stringify({ ok: "yes", secret: "s3cr3t" }));
      return;
    }
    const status = req.url?.includes("cancel") ? 409 : 200;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(
      JSON.stringify(status === 409 ? { error: { code: "INTENT_TERMINAL", message: "terminal" } } : { ok: true }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  config.omsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  seen = [];
  hang = false;
  closedEarly = 0;
  session.current = { address: "0xabc", omsToken: TOKEN };
});

/** What the fake OMS answers on success; the routes name it as their response contract. */
const Ok = z.object({ ok: z.literal(true) });
const getIntent = withOms({ schema: { params: z.object({ id: IntentId }) } }, ({ params, oms }) =>
  oms({ path: ["defix", "intents", params.id], response: Ok }),
);
const listIntents = withOms({ schema: { query: ListIntentsQuery } }, ({ query, oms }) =>
  oms({ path: ["defix", "intents"], query, response: Ok }),
);
const cancel = withOms({ schema: { params: z.object({ id: IntentId }) }, csrf: true }, ({ params, oms }) =>
  oms({ method: "POST", path: ["defix", "intents", params.id, "cancel"], response: Ok }),
);
const malformed = withOms({ schema: { query: z.object({ kind: z.string() }) } }, ({ query, oms }) =>
  oms({ path: ["defix", "malformed", query.kind], response: Ok }),
);
const stream = withOms({ schema: {} }, ({ oms }) =>
  oms({ path: ["defix", "stream"], isStream: true, events: { ping: z.literal(1).or(z.literal(2)) } }),
);

const download = withOms({ schema: {} }, ({ oms }) => oms({ path: ["defix", "download"], isDownload: true }));

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`http://localhost:3000${path}`, { method: init.method ?? "GET", headers: init.headers });

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string } };
  return body.error.code;
}

describe("withOms", () => {
  it("answers 401 without a session and calls nothing upstream", async () => {
    session.current = null;
    const response = await getIntent(request(`/api/oms/intents/${INTENT}`), ctx({ id: INTENT }));
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
    expect(seen).toHaveLength(0);
  });

  it("forwards with the bearer token and request id, and passes the body through without the token", async () => {
    const response = await getIntent(
      request(`/api/oms/intents/${INTENT}`, { headers: { "x-request-id": "req-12345678" } }),
      ctx({ id: INTENT }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-12345678");
    expect(await response.text()).not.toContain(TOKEN);
    expect(seen[0]?.url).toBe(`/defix/intents/${INTENT}`);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers["x-request-id"]).toBe("req-12345678");
    expect(seen[0]?.headers.cookie).toBeUndefined();
  });

  it.each(["..", "..%2F..%2Fopenapi.json", "%2e%2e", "not-a-uuid"])("refuses the id %j with 400", async (id) => {
    const response = await getIntent(request(`/api/oms/intents/${id}`), ctx({ id: decodeURIComponent(id) }));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("VALIDATION_FAILED");
    expect(seen).toHaveLength(0);
  });

  it("forwards only validated query keys and refuses unknown ones", async () => {
    const ok = await listIntents(request("/api/oms/intents?state=ACKED&state=PLANNED&limit=5"), ctx());
    expect(ok.status).toBe(200);
    expect(seen[0]?.url).toBe("/defix/intents?state=ACKED&state=PLANNED&limit=5");
    const bad = await listIntents(request("/api/oms/intents?upstream=http://evil.example"), ctx());
    expect(bad.status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it("passes the upstream error status and code through", async () => {
    const response = await cancel(
      request(`/api/oms/intents/${INTENT}/cancel`, { method: "POST", headers: { "sec-fetch-site": "same-origin" } }),
      ctx({ id: INTENT }),
    );
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("INTENT_TERMINAL");
    expect(seen[0]?.method).toBe("POST");
  });

  it.each<Record<string, string>>([
    { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    { "sec-fetch-site": "same-site", origin: "http://localhost:4000" },
    { origin: "https://evil.example" },
  ])("refuses a cross-site POST (%j) with 403 CSRF_REJECTED", async (headers) => {
    const response = await cancel(
      request(`/api/oms/intents/${INTENT}/cancel`, { method: "POST", headers }),
      ctx({ id: INTENT }),
    );
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("CSRF_REJECTED");
    expect(seen).toHaveLength(0);
  });

  it("maps a refused connection to 502 UPSTREAM_UNAVAILABLE", async () => {
    const saved = config.omsUrl;
    config.omsUrl = "http://127.0.0.1:9"; // discard port: nothing listens
    try {
      const response = await getIntent(request(`/api/oms/intents/${INTENT}`), ctx({ id: INTENT }));
      expect(response.status).toBe(502);
      expect(await errorCode(response)).toBe("UPSTREAM_UNAVAILABLE");
    } finally {
      config.omsUrl = saved;
    }
  });

  it("answers 502 UPSTREAM_INVALID, not the body, when the OMS's success answer breaks the contract", async () => {
    for (const kind of ["json", "text"]) {
      const response = await malformed(request(`/api/oms/malformed?kind=${kind}`), ctx());
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: "UPSTREAM_INVALID" } });
      expect(text).not.toContain("s3cr3t");
      expect(text).not.toContain("proxy page");
    }
  });

  it("passes a success answer that matches the contract on as the schema's output", async () => {
    const response = await getIntent(request(`/api/oms/intents/${INTENT}`), ctx({ id: INTENT }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
  });

  it("maps a hanging OMS to 504 UPSTREAM_TIMEOUT", async () => {
    hang = true;
    const slow = withOms({ schema: {}, timeoutMs: 150 }, ({ oms }) => oms({ path: ["defix", "vaults"], response: Ok }));
    const response = await slow(request("/api/oms/vaults"), ctx());
    expect(response.status).toBe(504);
    expect(await errorCode(response)).toBe("UPSTREAM_TIMEOUT");
  });

  it("ends the upstream call when the browser goes away", async () => {
    hang = true;
    const browser = new AbortController();
    const slow = withOms({ schema: {} }, ({ oms }) => oms({ path: ["defix", "vaults"], response: Ok }));
    const answered = slow(new NextRequest("http://localhost:3000/api/oms/vaults", { signal: browser.signal }), ctx());
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    browser.abort();
    expect((await answered).status).toBe(502);
    await vi.waitFor(() => expect(closedEarly).toBe(1));
  });

  it("refuses a JSON answer over the buffered size cap with 502 UPSTREAM_INVALID", async () => {
    const huge = withOms({ schema: {} }, ({ oms }) => oms({ path: ["defix", "huge"], response: Ok }));
    const response = await huge(request("/api/oms/huge"), ctx());
    expect(response.status).toBe(502);
    expect(await errorCode(response)).toBe("UPSTREAM_INVALID");
  });

  it("passes a refusal's status, error and Retry-After through, and no other upstream header", async () => {
    const busy = withOms({ schema: {} }, ({ oms }) => oms({ path: ["defix", "busy"], response: Ok }));
    const response = await busy(request("/api/oms/busy"), ctx());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await errorCode(response)).toBe("RATE_LIMITED");
  });

  it("passes a download through with its type and filename, not as SSE, and no other upstream header", async () => {
    const response = await download(request("/api/oms/download"), ctx());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="audit.jsonl"');
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toBe('{"n":1}\n');
    expect(seen[0]?.headers.accept).toBe("*/*");
  });

  it("streams SSE through unbuffered", async () => {
    const startedAt = Date.now();
    const response = await stream(request("/api/oms/stream", { headers: { accept: "text/event-stream" } }), ctx());
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("data: 1");
    expect(Date.now() - startedAt).toBeLessThan(250);
    await reader.cancel();
  });

  it("caps the live streams one user holds open (429 TOO_MANY_STREAMS) and frees a slot when one closes", async () => {
    const { MAX_STREAMS_PER_USER } = await import("./stream-slots");
    const open: ReadableStreamDefaultReader<Uint8Array>[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i += 1) {
      const response = await stream(request("/api/oms/stream"), ctx());
      expect(response.status).toBe(200);
      open.push(response.body!.getReader());
    }
    const refused = await stream(request("/api/oms/stream"), ctx());
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("TOO_MANY_STREAMS");
    session.current = { address: "0xdef", omsToken: TOKEN };
    const otherUser = await stream(request("/api/oms/stream"), ctx());
    expect(otherUser.status).toBe(200);
    await otherUser.body!.cancel();
    session.current = { address: "0xabc", omsToken: TOKEN };
    await open.pop()!.cancel();
    const again = await stream(request("/api/oms/stream"), ctx());
    expect(again.status).toBe(200);
    await again.body!.cancel();
    await Promise.all(open.map((reader) => reader.cancel()));
  });
});
