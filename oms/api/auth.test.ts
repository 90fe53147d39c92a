import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tamper } from "../kernel/test-support/tokens";
import { VAULT_A, VAULT_B } from "./test-support/fixtures";
import { createUnitHarness, OUTSIDER, PRIMARY, SERVICE, type UnitHarness } from "./test-support/harness";

let h: UnitHarness;
beforeAll(async () => {
  h = await createUnitHarness();
});
afterAll(async () => {
  await h.app.close();
});

const list = (headers: Record<string, string> = {}) => h.app.inject({ method: "GET", url: "/defix/intents", headers });

describe("bearer authentication", () => {
  it("401 UNAUTHENTICATED without a token", async () => {
    const res = await list();
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("UNAUTHENTICATED");
  });

  it("401 TOKEN_EXPIRED for an expired token", async () => {
    const token = await h.issuer.sign({ sub: PRIMARY, expiresIn: -120 });
    const res = await list({ authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("TOKEN_EXPIRED");
  });

  it("401 TOKEN_INVALID for a tampered token, a wrong audience or issuer, garbage", async () => {
    const good = await h.issuer.sign({ sub: PRIMARY });
    const wrongAudience = await h.issuer.sign({ sub: PRIMARY, audience: "someone-else" });
    const wrongIssuer = await h.issuer.sign({ sub: PRIMARY, issuer: "evil" });
    for (const authorization of [
      `Bearer ${tamper(good)}`,
      `Bearer ${wrongAudience}`,
      `Bearer ${wrongIssuer}`,
      "Bearer not.a.jwt",
      `Basic ${good}`,
    ]) {
      const res = await list({ authorization });
      expect(res.statusCode, authorization.slice(0, 12)).toBe(401);
      expect(res.json().error.code).toBe("TOKEN_INVALID");
      expect(res.body).not.toContain(good);
    }
  });

  it("rejects a token from another key even when the claims are right", async () => {
    const other = await (await import("../kernel/test-support/tokens")).createTestIssuer();
    const res = await list({ authorization: `Bearer ${await other.sign({ sub: PRIMARY })}` });
    expect(res.json().error.code).toBe("TOKEN_INVALID");
  });

  it("rejects a subject that is neither an address nor a configured service", async () => {
    const res = await list(await h.bearer("svc:someone-else", { svc_vaults: [VAULT_A] }));
    expect(res.statusCode).toBe(401);
  });

  it("accepts a valid token", async () => {
    const res = await list(await h.bearer(PRIMARY));
    expect(res.statusCode).toBe(200);
  });

  it("health and openapi need no token", async () => {
    expect((await h.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/openapi.json" })).statusCode).toBe(200);
  });
});

describe("vault roles", () => {
  it("lists only the vaults a user holds a role on", async () => {
    const mine = await h.app.inject({ method: "GET", url: "/defix/vaults", headers: await h.bearer(PRIMARY) });
    expect(mine.json().vaults.map((vault: { vault_id: string; role: string }) => [vault.vault_id, vault.role])).toEqual(
      [
        [VAULT_A, "PRIMARY_MANAGER"],
        [VAULT_B, "PRIMARY_MANAGER"],
      ],
    );
    const none = await h.app.inject({ method: "GET", url: "/defix/vaults", headers: await h.bearer(OUTSIDER) });
    expect(none.json().vaults).toEqual([]);
  });

  it("a service sees exactly the vaults its token lists", async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/defix/vaults",
      headers: await h.bearer(SERVICE, { svc_vaults: [VAULT_B] }),
    });
    expect(res.json().vaults.map((vault: { vault_id: string }) => vault.vault_id)).toEqual([VAULT_B]);
  });

  it("a service token with a malformed svc_vaults claim is refused", async () => {
    const res = await list(await h.bearer(SERVICE, { svc_vaults: ["nope"] }));
    expect(res.json().error.code).toBe("TOKEN_INVALID");
  });
});
