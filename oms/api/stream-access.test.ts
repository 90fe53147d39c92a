import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { VAULT_A } from "./test-support/fixtures";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";

let h: UnitHarness | undefined;
afterEach(async () => {
  h?.app.server.closeAllConnections();
  await h?.app.close();
  h = undefined;
});

async function listen(harness: UnitHarness): Promise<string> {
  await harness.app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`;
}

/** The whole stream's text once the server ends it. */
async function untilEnd(response: Response, timeoutMs: number): Promise<string> {
  return Promise.race([
    response.text(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the stream did not end")), timeoutMs)),
  ]);
}

describe("stream access guard", () => {
  it("ends the stream with the lookup's code when roles cannot be re-read", async () => {
    let isChainDown = false;
    h = await createUnitHarness({
      streamReauthMs: 100,
      directory: (table) => ({
        ...table,
        rolesFor: async (subject) => {
          if (isChainDown) throw new DomainError(ErrorCode.CHAIN_UNAVAILABLE, "Vault roles could not be read");
          return table.rolesFor(subject);
        },
      }),
    });
    const base = await listen(h);
    const response = await fetch(`${base}/defix/stream?vault_id=${VAULT_A}`, {
      headers: { ...(await h.bearer(PRIMARY)), accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    isChainDown = true;
    const text = await untilEnd(response, 3_000);
    expect(text).toContain("event: stream_closed");
    expect(text).toContain('"code":"CHAIN_UNAVAILABLE"');
  });

  it("keeps a stream open while the role holds, and ends it at the token's expiry", async () => {
    h = await createUnitHarness({ streamReauthMs: 100 });
    const base = await listen(h);
    const token = await h.issuer.sign({ sub: PRIMARY, expiresIn: 2 });
    const opened = Date.now();
    const response = await fetch(`${base}/defix/stream?vault_id=${VAULT_A}`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    });
    const text = await untilEnd(response, 4_000);
    expect(Date.now() - opened).toBeGreaterThan(500);
    expect(text.trim().split("\n\n").at(-1)).toBe(
      'event: stream_closed\ndata: {"code":"TOKEN_EXPIRED","message":"The bearer token has expired"}',
    );
  });
});
