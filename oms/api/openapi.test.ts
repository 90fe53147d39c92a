import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiPath } from "./openapi";
import { createUnitHarness, type UnitHarness } from "./test-support/harness";

let h: UnitHarness;
beforeAll(async () => {
  h = await createUnitHarness();
});
afterAll(async () => {
  await h.app.close();
});

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  parameters: Array<{ name: string; in: string }>;
}

describe("OpenAPI document", () => {
  it("documents every registered route, and nothing else", async () => {
    const doc = (await h.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = h.app.registeredRoutes.map((route) => `${route.method} ${openApiPath(route.url)}`);
    expect(registered.length).toBeGreaterThanOrEqual(12);
    expect(documented.sort()).toEqual([...registered].sort());
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents every error response with ErrorBody and the request schemas from lib/defix", async () => {
    const doc = (await h.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const submit: Operation & { requestBody: { content: { "application/json": { schema: { properties: object } } } } } =
      doc.paths["/defix/intents"].post;
    expect(Object.keys(submit.requestBody.content["application/json"].schema.properties)).toContain("action_config");
    expect(Object.keys(submit.responses)).toEqual(
      expect.arrayContaining(["200", "201", "400", "401", "403", "404", "413", "415"]),
    );
    expect(submit.responses["401"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/ErrorBody",
    });
    const list: Operation = doc.paths["/defix/intents"].get;
    expect(list.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["vault_id", "state", "cursor", "limit"]),
    );
    const events: Operation = doc.paths["/defix/intents/{id}/events"].get;
    expect(Object.keys(events.responses["200"]?.content ?? {})).toEqual(["application/json", "text/event-stream"]);
    expect(doc.components.schemas.ErrorBody.properties.error).toBeDefined();
  });
});
