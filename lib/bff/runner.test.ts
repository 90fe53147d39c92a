import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { SetStrategyState } from "@/lib/defix/strategies";

vi.mock("server-only", () => ({}));
const session = vi.hoisted(() => ({ current: null as { address: string; omsToken: string } | null }));
vi.mock("./session", () => ({ readSession: async () => session.current }));
vi.mock("@/lib/auth/server-config", () => ({ nextAuthUrl: () => new URL("http://localhost:3000") }));

const { runnerPath, withRunner } = await import("./runner");

const TOKEN = "header.payload.signature-of-the-user";
let seen: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      seen.push({ url: req.url ?? "", method: req.method ?? "", headers: req.headers, body });
      res.writeHead(409, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "VERSION_CONFLICT", message: "stale" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.RUNNER_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});
beforeEach(() => {
  seen = [];
  session.current = { address: "0xabc", omsToken: TOKEN };
});

const handler = withRunner({ schema: { body: SetStrategyState }, csrf: true }, ({ body, runner }) =>
  runner({ method: "PUT", path: runnerPath.strategyState("31337-0xabc-inflow"), body }),
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

  it("encodes every value as one path segment", () => {
    expect(runnerPath.strategyState("../vaults")).toBe("/strategies/..%2Fvaults/state");
    expect(runnerPath.killSwitch("31337:0xabc")).toBe("/vaults/31337%3A0xabc/kill-switch");
  });
});
