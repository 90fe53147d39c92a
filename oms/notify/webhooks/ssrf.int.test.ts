import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../../scripts/lib/webhook-receiver";
import { DomainError } from "../../kernel/errors";
import type { Db } from "../../store/db";
import { createTestDatabase, type TestDatabase } from "../../store/test-support/databases";
import { sendWebhook } from "./sender";
import { createWebhookService } from "./service";
import { isForbiddenAddress, type Resolver } from "./ssrf";

const VAULT = "31337:0x000000000000000000000000000000000000000a";
const PUBLIC_IP = "93.184.216.34";

/** Names under `.test` never resolve for real: the fake answers what a hostile DNS would. */
const hostileDns: Resolver = async (hostname) => {
  if (hostname === "public.test") return [{ address: PUBLIC_IP, family: 4 }];
  if (hostname === "mixed.test")
    return [
      { address: PUBLIC_IP, family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
  if (hostname === "rebind.test" || hostname === "pinned.test") return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
};

describe("webhook SSRF guard", () => {
  let database: TestDatabase;
  let db: Db;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    db = await database.open();
    receiver = await startWebhookReceiver({ quiet: true });
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.destroy();
  });

  const service = (allowPrivate: boolean) =>
    createWebhookService({
      db: db.db,
      masterKey: new Uint8Array(32).fill(7),
      config: { maxPerVault: 10, target: { allowPrivate }, suggestedUrl: null, maxPendingTests: 3 },
      kick: () => undefined,
      resolve: hostileDns,
    });
  const input = (url: string) => ({
    url,
    description: "",
    enabled: true,
    event_types: ["*" as const],
    alert_kinds: ["*" as const],
  });
  async function refusal(url: string): Promise<string> {
    try {
      await service(false).create(VAULT, input(url), "0xabc");
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
    return "ACCEPTED";
  }

  it("refuses internal targets at registration, with a code saying why", async () => {
    const cases: Array<[string, string]> = [
      ["https://127.0.0.1/hook", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://2130706433/hook", "WEBHOOK_TARGET_FORBIDDEN"], // 127.0.0.1 spelled as one number
      ["https://localhost:8787/", "WEBHOOK_TARGET_UNRESOLVABLE"], // the fake DNS knows no localhost
      ["https://[::1]/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://[::ffff:127.0.0.1]/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://[fd12::1]/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://[fe80::1]/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://169.254.169.254/latest/meta-data", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://10.1.2.3/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://172.20.0.1/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://192.168.1.1/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://100.64.0.1/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://0.0.0.0/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://224.0.0.1/", "WEBHOOK_TARGET_FORBIDDEN"],
      ["https://mixed.test/", "WEBHOOK_TARGET_FORBIDDEN"], // one internal answer among public ones
      ["http://public.test/", "WEBHOOK_URL_INSECURE"],
      ["https://user:pw@public.test/", "WEBHOOK_URL_INVALID"],
      ["file:///etc/passwd", "WEBHOOK_URL_INVALID"],
      ["https://nowhere.test/", "WEBHOOK_TARGET_UNRESOLVABLE"],
      ["https://public.test/hook", "ACCEPTED"],
    ];
    const got: Array<[string, string]> = [];
    for (const [url] of cases) got.push([url, await refusal(url)]);
    expect(got).toEqual(cases);
    expect(isForbiddenAddress("8.8.8.8")).toBe(false);
    expect(isForbiddenAddress("2606:4700::1111")).toBe(false);
    expect(isForbiddenAddress("64:ff9b::a00:1")).toBe(true);
  });

  it("checks again at delivery: a name that re-resolves to loopback (DNS rebinding) is never connected to", async () => {
    const before = receiver.received.length;
    const outcome = await sendWebhook({
      url: `https://rebind.test:${receiver.port}/`,
      body: "{}",
      headers: {},
      timeoutMs: 2_000,
      policy: { allowPrivate: false },
      resolve: hostileDns,
    });
    expect(outcome).toMatchObject({ succeeded: false, statusCode: null });
    expect(outcome.error).toContain("WEBHOOK_TARGET_FORBIDDEN");
    expect(receiver.received.length).toBe(before);
  });

  it("connects to the address it checked, not to a second DNS answer", async () => {
    // pinned.test exists only in the fake resolver: reaching the receiver proves the checked answer was used.
    const outcome = await sendWebhook({
      url: `http://pinned.test:${receiver.port}/`,
      body: '{"type":"webhook.test"}',
      headers: {},
      timeoutMs: 2_000,
      policy: { allowPrivate: true },
      resolve: hostileDns,
    });
    expect(outcome).toMatchObject({ succeeded: true, statusCode: 200 });
    expect(receiver.received.at(-1)?.type).toBe("webhook.test");
  });

  it("does not follow a redirect to an internal address", async () => {
    const before = receiver.received.length;
    const redirector = http.createServer((_request, response) => {
      response.writeHead(307, { location: `http://127.0.0.1:${receiver.port}/internal` }).end("moved");
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      const outcome = await sendWebhook({
        url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`,
        body: "{}",
        headers: {},
        timeoutMs: 2_000,
        policy: { allowPrivate: true },
      });
      expect(outcome).toMatchObject({ succeeded: false, statusCode: 307, excerpt: "moved" });
      expect(outcome.error).toContain("not followed");
      expect(receiver.received.length).toBe(before);
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});
