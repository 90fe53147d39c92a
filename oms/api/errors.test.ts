import { afterAll, beforeAll, expect, it } from "vitest";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";
import { createMemoryIntents } from "./test-support/memory-intents";

let h: UnitHarness;
let failure: Error = new Error("connection to db.internal:5432 refused (password=hunter2)");
beforeAll(async () => {
  const intents = createMemoryIntents();
  intents.list = async () => {
    throw failure;
  };
  h = await createUnitHarness({ intents });
});
afterAll(async () => {
  await h.app.close();
});

it("an unexpected failure is a 500 INTERNAL with a generic message and nothing from the error", async () => {
  const res = await h.app.inject({ method: "GET", url: "/defix/intents", headers: await h.bearer(PRIMARY) });
  expect(res.statusCode).toBe(500);
  const { error } = res.json();
  expect(error.code).toBe("INTERNAL");
  expect(error.details).toBeUndefined();
  expect(error.request_id).toBe(res.headers["x-request-id"]);
  expect(res.body).not.toContain("hunter2");
  expect(res.body).not.toContain("db.internal");
});

it("a lost database connection is a 503 STORE_UNAVAILABLE the caller can retry, with nothing from the error", async () => {
  // What pg raises when PostgreSQL restarts or the session is killed under a query.
  failure = Object.assign(new Error("terminating connection due to administrator command (db.internal)"), {
    code: "57P01",
  });
  const res = await h.app.inject({ method: "GET", url: "/defix/intents", headers: await h.bearer(PRIMARY) });
  expect(res.statusCode).toBe(503);
  expect(res.json().error.code).toBe("STORE_UNAVAILABLE");
  expect(res.body).not.toContain("db.internal");
  failure = new Error("Connection terminated unexpectedly");
  const again = await h.app.inject({ method: "GET", url: "/defix/intents", headers: await h.bearer(PRIMARY) });
  expect(again.json().error.code).toBe("STORE_UNAVAILABLE");
});
