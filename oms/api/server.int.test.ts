import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import { deployWorld } from "../../scripts/deploy/world";
import { type AnvilInstance, getFreePort, startAnvil } from "../../test/anvil";
import { createTestIssuer, type TestIssuer } from "../kernel/test-support/tokens";
import { poll } from "./test-support/oms-world";

let anvil: AnvilInstance;
let dataDir: string;
let issuer: TestIssuer;
let child: ChildProcess | undefined;
let output = "";
let baseUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "oms-server-"));
  anvil = await startAnvil({ quiet: true });
  const manifestPath = path.join(dataDir, "deployment.json");
  await deployWorld({ rpcUrl: anvil.rpcUrl, manifestPath });
  issuer = await createTestIssuer();
  const jwkPath = path.join(dataDir, "issuer.jwk.json");
  writeFileSync(jwkPath, JSON.stringify(issuer.publicJwk));
  const port = await getFreePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["--import", "tsx", path.resolve("oms/server.ts")], {
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      RPC_URL: anvil.rpcUrl,
      DEPLOYMENT_FILE: manifestPath,
      OMS_PORT: String(port),
      OMS_JWT_PUBLIC_KEY_FILE: jwkPath,
      OMS_LOG_LEVEL: "debug",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = server;
  server.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  server.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  await poll(
    async () => {
      if (child?.exitCode !== null) throw new Error(`OMS exited early:\n${output}`);
      return (await fetch(`${baseUrl}/health`).catch(() => null))?.ok ? true : null;
    },
    "the OMS to answer /health",
    60_000,
  );
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await anvil?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("serves with the embedded SQLite, logs without tokens, and exits 0 on SIGTERM", async () => {
  const token = await issuer.sign({ sub: devAccount(1).address.toLowerCase() });
  const res = await fetch(`${baseUrl}/defix/vaults`, {
    headers: { authorization: `Bearer ${token}`, "x-request-id": "srv-test-0001" },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-request-id")).toBe("srv-test-0001");
  // Manager one: Alpha and Beta (OMS mode), Delta (EIP4337) and Epsilon (EIP4337_COMPANION).
  expect((await res.json()).vaults.length).toBe(4);
  const health = await (await fetch(`${baseUrl}/health`)).json();
  expect(health.database).toEqual({ ok: true, dialect: "sqlite" });
  // The only process runs every outbox consumer, and /health says so for each (webhooks included).
  const holders = await poll(async () => {
    const report = (await (await fetch(`${baseUrl}/health`)).json()) as {
      consumers?: { name: string; holding: boolean }[];
    };
    const held = (report.consumers ?? []).filter((consumer) => consumer.holding).map((consumer) => consumer.name);
    const all = ["webhooks", "webhooks-alerts", "alerts", "audit-checkpoints"];
    return all.every((name) => held.includes(name)) ? held : null;
  }, "every consumer to be held by the one OMS process");
  expect(holders).toEqual(expect.arrayContaining(["webhooks", "webhooks-alerts", "alerts", "audit-checkpoints"]));

  const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
  child?.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(output).toContain("srv-test-0001");
  expect(output).not.toContain(token.split(".")[2] ?? "unreachable");
});

it("refuses to boot with an invalid environment, naming the variable", async () => {
  const bad = spawn(process.execPath, ["--import", "tsx", path.resolve("oms/server.ts")], {
    env: { NODE_ENV: "test", PATH: process.env.PATH, OMS_PORT: "not-a-port", DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  bad.stderr?.on("data", (chunk) => {
    text += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => bad.once("exit", resolve));
  expect(code).toBe(1);
  expect(text).toContain("OMS_PORT");
});

it("refuses to boot against a node serving another chain than its deployment's, naming both", async () => {
  const manifest = JSON.parse(readFileSync(path.join(dataDir, "deployment.json"), "utf8")) as { chain_id: number };
  const otherChain = path.join(dataDir, "deployment-other-chain.json");
  writeFileSync(otherChain, JSON.stringify({ ...manifest, chain_id: 1 }));
  const bad = spawn(process.execPath, ["--import", "tsx", path.resolve("oms/server.ts")], {
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      DATA_DIR: mkdtempSync(path.join(dataDir, "other-")),
      RPC_URL: anvil.rpcUrl,
      DEPLOYMENT_FILE: otherChain,
      OMS_PORT: String(await getFreePort()),
      OMS_JWT_PUBLIC_KEY_FILE: path.join(dataDir, "issuer.jwk.json"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  for (const stream of [bad.stdout, bad.stderr])
    stream?.on("data", (chunk) => {
      text += String(chunk);
    });
  const code = await new Promise<number | null>((resolve) => bad.once("exit", resolve));
  expect(code).toBe(1);
  expect(text).toContain(`RPC_URL serves chain ${manifest.chain_id} but`);
  expect(text).toContain("was deployed on 1");
});
