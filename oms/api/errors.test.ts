import { afterAll, beforeAll, expect, it } from "vitest";
import { createUnitHarness, PRIMARY, type UnitHarness } from "./test-support/harness";
import { createMemoryIntents } from "./test-support/memory-intents";

let h: UnitHarness;
beforeAll(async () => {
  const intents = createMemoryIntents();
  intents.list = async () => {
    throw new Error("connection to db.internal:5432 refused (password=hunter2)");
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
