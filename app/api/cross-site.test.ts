import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/bff/session", () => ({ readSession: async () => ({ address: "0xabc", omsToken: "t.t.t" }) }));
vi.mock("@/lib/auth/server-config", () => ({
  omsUrl: () => "http://127.0.0.1:9",
  nextAuthUrl: () => new URL("http://localhost:3000"),
  rpcUrl: () => "http://127.0.0.1:9",
  currentManifest: () => null,
}));

/**
 * Every BFF route that changes state — POST/PUT, and the seed's GETs that prepare session-key calldata
 * (they create a pending key and an audit row) — refuses a cross-site request before anything reaches
 * an upstream. Found by walking app/api, so a new route is covered the day it is added.
 */
const API_ROOT = path.join(import.meta.dirname);
const PREPARES = /\/session-key\/(grant|rotation|revoke)$/;
const SKIPPED = /^\/auth\//; // next-auth and the token exchange guard themselves (lib/auth)

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

const VALUES: Record<string, string> = {
  "[id]": "7d9f1d2e-3c4b-4a5d-8e6f-0a1b2c3d4e5f",
  "[vaultId]": "31337:0x1111111111111111111111111111111111111111",
};

const routes = routeFiles(API_ROOT).map((file) => {
  const template = `/${path.relative(API_ROOT, path.dirname(file)).split(path.sep).join("/")}`;
  const params: Record<string, string> = {};
  const url = template.replace(/\[[A-Za-z]+\]/g, (segment) => {
    params[segment.slice(1, -1)] = VALUES[segment] ?? "x";
    return VALUES[segment] ?? "x";
  });
  return { file, template, url, params };
});

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});

describe("cross-site requests on state-changing BFF routes", () => {
  const cases = routes
    .filter((route) => !SKIPPED.test(route.template))
    .flatMap((route) =>
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((method) => ({
        ...route,
        method,
        name: `${method} /api${route.template}`,
      })),
    );

  it.each(cases)("$name", async ({ file, url, params, method, template }) => {
    const module = (await import(file)) as Record<string, unknown>;
    const handler = module[method] as
      | ((req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)
      | undefined;
    if (!handler) return;
    const isStateChanging = method !== "GET" || PREPARES.test(template);
    const response = await handler(
      new NextRequest(`http://localhost:3000/api${url}`, {
        method,
        headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", origin: "https://evil.example" },
        ...(method === "GET" ? {} : { body: "{}" }),
      }),
      { params: Promise.resolve(params) },
    );
    const code = response.status === 403 ? ((await response.json()) as { error: { code: string } }).error.code : null;
    if (isStateChanging) expect(code).toBe("CSRF_REJECTED");
    else expect(code).not.toBe("CSRF_REJECTED");
  });

  it("found the session-key prepares", () => {
    expect(routes.filter((route) => PREPARES.test(route.template))).toHaveLength(3);
  });
});
