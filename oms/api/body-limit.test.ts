import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VAULT_A } from "./test-support/fixtures";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";

let h: UnitHarness;
let base: string;
beforeAll(async () => {
  h = await createUnitHarness();
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  h.app.server.closeAllConnections();
  await h.app.close();
});

/** A 5 MB JSON document: a submit body with one huge field. */
const HUGE = JSON.stringify({ vault_id: VAULT_A, strategy_id: "x".repeat(5 * 1024 * 1024) });

async function expect413(response: Response): Promise<void> {
  expect(response.status).toBe(413);
  const body = await response.json();
  expect(body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", request_id: expect.any(String) });
}

describe("oversized bodies are answered to clients that are still uploading", () => {
  it("a 5 MB body with Content-Length: Node's fetch reads the 413, authenticated or not", async () => {
    for (const headers of [await h.bearer(PRIMARY), {}]) {
      const response = await fetch(`${base}/defix/intents`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: HUGE,
      });
      await expect413(response);
    }
    expect(h.intents.count).toBe(0);
  });

  it("a chunked body without Content-Length is cut at the limit the same way", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 80) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${base}/defix/intents`, {
      method: "POST",
      headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    await expect413(response);
    expect(h.intents.count).toBe(0);
  });

  it("the JSON-RPC route answers an oversized body the same way", async () => {
    const response = await fetch(`${base}/rpc`, {
      method: "POST",
      headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
      body: HUGE,
    });
    await expect413(response);
  });

  it("a body within the limit still goes through after refused ones", async () => {
    const response = await fetch(`${base}/defix/intents`, {
      method: "POST",
      headers: { ...(await h.bearer(PRIMARY)), "content-type": "application/json" },
      body: JSON.stringify({ vault_id: VAULT_A }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("VALIDATION_FAILED");
  });
});
