import { expect, it } from "vitest";
import { createServiceApp } from "./service-app";

it("every answer, errors included, says how long this process spent on it (Server-Timing app;dur)", async () => {
  const app = createServiceApp({ logger: false, bodyLimit: 1_024 });
  app.get("/slow", async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { ok: true };
  });
  await app.ready();
  const ok = await app.inject({ method: "GET", url: "/slow" });
  const duration = Number(/^app;dur=([\d.]+)$/.exec(String(ok.headers["server-timing"]))?.[1]);
  expect(duration).toBeGreaterThanOrEqual(25);
  const missing = await app.inject({ method: "GET", url: "/nowhere" });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers["server-timing"]).toMatch(/^app;dur=[\d.]+$/);
  await app.close();
});
