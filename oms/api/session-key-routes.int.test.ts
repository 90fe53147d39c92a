import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import type { World } from "../../contracts/test/fixture";
import { Readiness } from "../../lib/defix/session-keys";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { TestIssuer } from "../kernel/test-support/tokens";
import { sendPrepared } from "../keys/test-support/harness";
import { withKeyRoutesApp } from "./test-support/key-routes-app";

let world: World;
let alpha: ManifestVault;
let issuer: TestIssuer;
let app: FastifyInstance;

withKeyRoutesApp((harness) => {
  ({ world, alpha, issuer, app } = harness);
});

async function call(method: "GET" | "POST", path: string, subject: string, claims: Record<string, unknown> = {}) {
  const token = await issuer.sign({ sub: subject.toLowerCase(), claims });
  const response = await app.inject({
    method,
    url: `/defix/vaults/${path}`,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

const PREPARE_ENDPOINTS = [
  ["GET", "session-key/grant"],
  ["GET", "session-key/rotation"],
  ["GET", "session-key/revoke"],
  ["POST", "session-key/rotation/complete"],
  ["POST", "session-key/rotation/cancel"],
] as const;

describe("session-key routes", () => {
  it("walks grant → ready over HTTP for the primary manager", async () => {
    const manager = world.accounts.managerOne.address;
    const grant = await call("GET", `${alpha.vault_id}/session-key/grant?requested_expiry=24h`, manager);
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ to: world.manifest.contracts.executor, chain_id: world.manifest.chain_id });
    await sendPrepared(world, grant.body as Parameters<typeof sendPrepared>[1]);

    const readiness = await call("GET", `${alpha.vault_id}/session-key/readiness`, world.accounts.viewer.address);
    expect(readiness.status).toBe(200);
    expect(Readiness.parse(readiness.body)).toMatchObject({
      is_ready: true,
      session_key_address: grant.body.session_key_address,
    });
    const history = await call("GET", `${alpha.vault_id}/session-key/history`, world.accounts.managerTwo.address);
    expect(history.status).toBe(200);
    expect((history.body.entries as Array<{ type: string }>).map((entry) => entry.type)).toEqual([
      "GRANTED",
      "PREPARED",
    ]);
  });

  describe.each([
    ["a secondary manager", () => world.accounts.managerTwo.address, () => ({})],
    ["a view-only user", () => world.accounts.viewer.address, () => ({})],
    ["an outsider", () => world.accounts.outsider.address, () => ({})],
    ["the strategy-runner service", () => "svc:strategy-runner", () => ({ svc_vaults: [alpha.vault_id] })],
  ])("as %s", (_who, subject, claims) => {
    it.each(PREPARE_ENDPOINTS)("%s %s is 403 NOT_PRIMARY_MANAGER", async (method, path) => {
      const response = await call(method, `${alpha.vault_id}/${path}`, subject(), claims());
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: { code: "NOT_PRIMARY_MANAGER" } });
    });
  });

  it("lets any role read readiness but not outsiders", async () => {
    const outsider = await call("GET", `${alpha.vault_id}/session-key/readiness`, world.accounts.outsider.address);
    expect(outsider.status).toBe(403);
    const viewer = await call("GET", `${alpha.vault_id}/session-key/readiness`, world.accounts.viewer.address);
    expect(viewer.body).toMatchObject({ is_ready: false, reason: "NO_KEY" });
  });

  it("answers bad input with 400/404 and the shared error shape", async () => {
    const manager = world.accounts.managerOne.address;
    for (const requested of ["0h", "-1h", "999d", "abc"]) {
      for (const endpoint of ["grant", "rotation"]) {
        const url = `${alpha.vault_id}/session-key/${endpoint}?requested_expiry=${requested}`;
        const expiry = await call("GET", url, manager);
        expect(expiry.status).toBe(400);
        expect(expiry.body).toMatchObject({ error: { code: "INVALID_EXPIRY", details: { min: "10m", max: "30d" } } });
      }
    }
    const unknownParam = await call("GET", `${alpha.vault_id}/session-key/grant?expiry=1h`, manager);
    expect(unknownParam.status).toBe(400);
    const malformed = await call("GET", "not-a-vault/session-key/readiness", manager);
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    const unknown = await call(
      "GET",
      "31337:0x000000000000000000000000000000000000dead/session-key/readiness",
      manager,
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "VAULT_NOT_FOUND" } } });
    const noRotation = await call("POST", `${alpha.vault_id}/session-key/rotation/complete`, manager);
    expect(noRotation).toMatchObject({ status: 409, body: { error: { code: "NO_PENDING_ROTATION" } } });
  });
});
