import { Writable } from "node:stream";
import Fastify from "fastify";
import { expect, it } from "vitest";
import { defineRoute, registerRoutes } from "./route";

it("a route declared with logLevel warn leaves no info lines; the others still log each request", async () => {
  let logged = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  const app = Fastify({ logger: { level: "info", stream } });
  const route = (url: string, logLevel?: "warn") =>
    defineRoute({
      method: "GET",
      url,
      operationId: url.slice(1),
      summary: url,
      tag: "test",
      isPublic: true,
      logLevel,
      responses: { 200: { description: "ok" } },
      handler: async () => ({ status: 200, body: { ok: true } }),
    });
  registerRoutes(app, [route("/quiet", "warn"), route("/loud")]);
  expect((await app.inject({ method: "GET", url: "/quiet" })).statusCode).toBe(200);
  expect(logged).not.toContain("/quiet");
  expect((await app.inject({ method: "GET", url: "/loud" })).statusCode).toBe(200);
  expect(logged).toContain("/loud");
  await app.close();
});
