import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tamper } from "../kernel/test-support/tokens";
import { submitBody, VAULT_A } from "./test-support/fixtures";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";

let h: UnitHarness;
let logged = "";
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  h = await createUnitHarness({ logger: { level: "trace", stream } });
});
afterAll(async () => {
  await h.app.close();
});

it("log lines carry the request id but never the bearer token", async () => {
  const token = await h.issuer.sign({ sub: PRIMARY });
  const headers = { authorization: `Bearer ${token}`, "x-request-id": "trace-me-123" };
  await h.app.inject({ method: "POST", url: "/defix/intents", headers, payload: submitBody(VAULT_A, "17") });
  await h.app.inject({ method: "GET", url: "/defix/intents", headers: { authorization: `Bearer ${tamper(token)}` } });
  await h.app.inject({ method: "GET", url: "/defix/intents?limit=0", headers });
  expect(logged).toContain("trace-me-123");
  expect(logged.length).toBeGreaterThan(0);
  const signature = token.split(".")[2] ?? "";
  expect(logged).not.toContain(signature.slice(0, 20));
  expect(logged).not.toContain(token.split(".")[1] ?? "");
});
