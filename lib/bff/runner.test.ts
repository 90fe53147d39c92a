import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SetStrategyState, Strategy } from "@/lib/defix/strategies";

vi.mock("server-only", () => ({}));
const session = vi.hoisted(() => ({ current: null as { address: string; omsToken: string } | null }));
vi.mock("./session", () => ({ readSession: async () => session.current }));
vi.mock("@/lib/auth/server-config", () => ({ nextAuthUrl: () => new URL("http://localhost:3000") }));

const { runnerPath, withRunner } = await import("./runner");

const TOKEN = "header.payload.signature-of-the-user";
let seen: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
/** The runner's next answer; by default a version conflict. */
let answer: { status: number; body: string } | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      seen.push({ url: req.url ?? "", method: req.method ?? "", headers: req.headers, body });
      res.writeHead(answer?.status ?? 409, { "content-type": "application/json" });
      res.end(answer?.body ?? JSON.stringify({ error: { code: "VERSION_CONFLICT", message: "stale" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.RUNNER_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  seen = [];
  answer = null;
  session.current = { address: "0xabc", omsToken: TOKEN };
});

const handler = withRunner({ schema: { body: SetStrategyState }, csrf: true }, ({ body, runner }) =>
  runner({ method: "PUT", path: runnerPath.strategyState("31337-0xabc-inflow"), body, response: Strategy }),
);
const put = (body: unknown, headers: Record<string, string> = { origin: "http://localhost:3000" }) =>
  handler(
    new NextRequest("http://localhost:3000/api/runner/strategies/x/state", {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    }),
    { params: Promise.resolve({}) },
  );

describe("withRunner", () => {
  it("forwards with the session's bearer token and passes the runner's status and error code through", async () => {
    const response = await put({ state: "RUNNING", expected_version: 3 });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("VERSION_CONFLICT");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: "/strategies/31337-0xabc-inflow/state", method: "PUT" });
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(seen[0]!.body)).toEqual({ state: "RUNNING", expected_version: 3 });
  });

  it("refuses without a session, with a bad body and cross-site, before reaching the runner", async () => {
    session.current = null;
    expect((await put({ state: "RUNNING", expected_version: 0 })).status).toBe(401);
    session.current = { address: "0xabc", omsToken: TOKEN };
    expect((await put({ state: "PAUSED", expected_version: 0 })).status).toBe(400);
    expect((await put({ state: "IDLE", expected_version: 0 }, { origin: "https://evil.example" })).status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it("answers 502 UPSTREAM_INVALID when the runner's success answer is not a strategy", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    answer = { status: 200, body: JSON.stringify({ state: "RUNNING", version: "four" }) };
    const response = await put({ state: "RUNNING", expected_version: 3 });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UPSTREAM_INVALID");
  });

  it("encodes every value as one path segment", () => {
    expect(runnerPath.strategyState("../vaults")).toBe("/strategies/..%2Fvaults/state");
    expect(runnerPath.killSwitch("31337:0xabc")).toBe("/vaults/31337%3A0xabc/kill-switch");
  });

  it("keeps the caller's request id and answers with it, like withOms", async () => {
    const response = await put(
      { state: "IDLE", expected_version: 1 },
      {
        origin: "http://localhost:3000",
        "x-request-id": "req-runner-0001",
      },
    );
    expect(response.headers.get("x-request-id")).toBe("req-runner-0001");
    expect(seen[0]!.headers["x-request-id"]).toBe("req-runner-0001");
  });

  it("refuses a body over its limit before reading it, declared or streamed", async () => {
    const huge = JSON.stringify({ state: "IDLE", expected_version: 1, pad: "x".repeat(64 * 1024) });
    const declared = await put(JSON.parse(huge) as unknown);
    expect(declared.status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const streamed = await handler(
      new NextRequest("http://localhost:3000/api/runner/strategies/x/state", {
        method: "PUT",
        body: endless,
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
      { params: Promise.resolve({}) },
    );
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    // Cut off just past 4 KiB, not read to the end (the stream never ends).
    expect(pulled).toBeLessThan(16);
    expect(seen).toHaveLength(0);
  });
});
