import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueOmsToken } from "../../lib/auth/issuer";
import { createScratchDatabase, type ScratchDatabase } from "../../test/postgres";
import { depositRequest } from "../bench/lib/intents";
import { type Stack, startStack } from "./stack";

/** Ports of their own, below 32768 and away from npm start's, the e2e suite's and the harnesses'. */
const PORTS = { chain: 27545, oms: 27787, runner: 27788, web: 27000 };

const IP_PER_MIN = 100;

let database: ScratchDatabase;
let stack: Stack;
let dataDir: string;
let token: string;

beforeAll(async () => {
  database = await createScratchDatabase("cluster_test");
  dataDir = mkdtempSync(path.join(tmpdir(), "cluster-"));
  stack = await startStack({
    dataDir,
    web: "none",
    runner: false,
    databaseUrl: database.url,
    omsProcesses: 2,
    ports: PORTS,
    // Per-address limits on (the proxy's health checks, 1/s per process, stay well within them).
    omsEnv: { OMS_RATE_LIMIT: "on", OMS_RATE_LIMIT_IP_PER_MIN: String(IP_PER_MIN) },
  });
  const manager = stack.manifest.vaults[0]?.primary_manager ?? "";
  token = (await issueOmsToken({ subject: manager, dataDir })).token;
});

afterAll(async () => {
  await stack?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const authorized = (init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
});

describe("2 OMS processes on one PostgreSQL behind the entry port", () => {
  it("runs each process on its own port and the proxy on OMS_PORT", () => {
    expect(stack.omsUrl).toBe(`http://127.0.0.1:${PORTS.oms}`);
    expect(stack.omsProcesses.map((member) => member.url)).toEqual([
      `http://127.0.0.1:${PORTS.oms + 10}`,
      `http://127.0.0.1:${PORTS.oms + 11}`,
    ]);
  });

  it("intents submitted through the entry port are readable from every process, and a resubmit is not a second intent", async () => {
    const vault = stack.manifest.vaults[0];
    if (!vault) throw new Error("no vault deployed");
    const ids: string[] = [];
    for (let seq = 0; seq < 6; seq++) {
      const response = await fetch(
        `${stack.omsUrl}/defix/intents`,
        authorized({ method: "POST", body: JSON.stringify(depositRequest(vault, seq)) }),
      );
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    // Submission 1 went to the second process; sent again it lands on the first (round robin): the same intent.
    const again = await fetch(
      `${stack.omsUrl}/defix/intents`,
      authorized({ method: "POST", body: JSON.stringify(depositRequest(vault, 1)) }),
    );
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(ids[1]);
    for (const member of stack.omsProcesses) {
      for (const id of ids) {
        const read = await fetch(`${member.url}/defix/intents/${id}`, authorized());
        expect(read.status, `${member.name} reads ${id}`).toBe(200);
      }
    }
  });

  it("streams an intent's events through the proxy, resuming after Last-Event-ID", async () => {
    const vault = stack.manifest.vaults[0];
    if (!vault) throw new Error("no vault deployed");
    const submitted = await fetch(
      `${stack.omsUrl}/defix/intents`,
      authorized({ method: "POST", body: JSON.stringify(depositRequest(vault, 100)) }),
    );
    const { id } = (await submitted.json()) as { id: string };
    const controller = new AbortController();
    const stream = await fetch(
      `${stack.omsUrl}/defix/intents/${id}/events`,
      authorized({ headers: { accept: "text/event-stream", "last-event-id": "1" }, signal: controller.signal }),
    );
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = stream.body?.getReader();
    if (!reader) throw new Error("no stream body");
    let text = "";
    const deadline = Date.now() + 20_000;
    while (!/^id: \d+$/m.test(text) && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text.match(/^id: (\d+)$/m)?.[1]).toBe("2");
  });

  it("counts per-address limits by each client's own address behind the proxy (start sets OMS_TRUST_PROXY)", async () => {
    // Two clients on different loopback addresses; the proxy appends each one's address to x-forwarded-for.
    const status = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.get(`${stack.omsUrl}/health`, { localAddress }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
      });
    let refusedAfter = 0;
    // Round robin over two processes, each counting on its own (no REDIS_URL here): at most 2 × the budget.
    for (let i = 0; i <= 2 * IP_PER_MIN && refusedAfter === 0; i++) {
      if ((await status("127.0.0.2")) === 429) refusedAfter = i;
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(IP_PER_MIN);
    expect(await status("127.0.0.3")).toBe(200);
  });

  it("keeps answering through the entry port while one process is down", async () => {
    const first = stack.processes.find((proc) => proc.name === "oms-1");
    if (!first) throw new Error("oms-1 not running");
    await first.stop();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${stack.omsUrl}/defix/intents?limit=5`, authorized());
      expect(response.status).toBe(200);
    }
  });
});

describe("the default shape (one OMS, SQLite)", () => {
  it("runs the OMS itself on OMS_PORT, with no proxy in front", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "single-"));
    const single = await startStack({ dataDir: dir, web: "none", runner: false, ports: { chain: 27546, oms: 27790 } });
    try {
      expect(single.omsProcesses).toEqual([{ name: "oms", url: "http://127.0.0.1:27790" }]);
      expect(single.processes.map((proc) => proc.name)).toEqual(["oms"]);
      expect((await fetch(`${single.omsUrl}/health`)).status).toBe(200);
    } finally {
      await single.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
