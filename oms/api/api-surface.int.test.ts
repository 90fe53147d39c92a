import { expect, it } from "vitest";
import type { VaultSummary } from "../../lib/defix/vaults";
import { tamper } from "../kernel/test-support/tokens";
import { openApiPath } from "./openapi";
import { describeOmsWorlds, MANAGER_ONE, MANAGER_TWO, OUTSIDER, VIEWER } from "./test-support/oms-suite";
import type { OmsWorld } from "./test-support/oms-world";

/** What every caller meets first: health, bearer tokens, the vaults a caller holds a role on, and the route document. */
describeOmsWorlds("OMS HTTP API: health, tokens, vaults and OpenAPI", (w, dialect) => {
  const api = (...args: Parameters<OmsWorld["api"]>) => w.api(...args);

  it("health reports the chain and the database", async () => {
    const res = await api("GET", "/health", null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      chain: { ok: true, chain_id: w.manifest.chain_id },
      database: { ok: true, dialect },
    });
  });

  it("401 for no, expired, tampered and wrong-audience tokens", async () => {
    const good = await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase() });
    const cases: Array<[string | null, string]> = [
      [null, "UNAUTHENTICATED"],
      [await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase(), expiresIn: -60 }), "TOKEN_EXPIRED"],
      [tamper(good), "TOKEN_INVALID"],
      [await w.issuer.sign({ sub: MANAGER_ONE.toLowerCase(), audience: "other" }), "TOKEN_INVALID"],
    ];
    for (const [token, code] of cases) {
      const res = await api(
        "GET",
        "/defix/intents",
        null,
        undefined,
        token ? { authorization: `Bearer ${token}` } : {},
      );
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
  });

  it("vault roles come from the chain registry and VIEW_ONLY", async () => {
    const roles = async (who: string) =>
      Object.fromEntries(
        (await api("GET", "/defix/vaults", who)).body.vaults.map((vault: { name: string; role: string }) => [
          vault.name,
          vault.role,
        ]),
      );
    expect(await roles(MANAGER_ONE)).toEqual({
      "Alpha Vault": "PRIMARY_MANAGER",
      "Beta Vault": "PRIMARY_MANAGER",
      "Delta Vault": "PRIMARY_MANAGER",
      "Epsilon Vault": "PRIMARY_MANAGER",
    });
    expect(await roles(MANAGER_TWO)).toEqual({
      "Alpha Vault": "SECONDARY_MANAGER",
      "Gamma Vault": "PRIMARY_MANAGER",
      "Zeta Vault": "PRIMARY_MANAGER",
    });
    expect(await roles(VIEWER)).toEqual({ "Alpha Vault": "VIEW_ONLY" });
    expect(await roles(OUTSIDER)).toEqual({});
  });

  it("each vault shows its account mode, the modes it supports and where its session keys live", async () => {
    const listed = async (who: string) => (await api("GET", "/defix/vaults", who)).body.vaults as VaultSummary[];
    const all = [...(await listed(MANAGER_ONE)), ...(await listed(MANAGER_TWO))];
    const bySymbol = new Map(all.map((vault) => [vault.symbol, vault]));
    const mode = (symbol: string) => {
      const vault = bySymbol.get(symbol)!;
      return [vault.account_mode, vault.supported_modes, vault.key_holder];
    };
    const manifestVault = (symbol: string) => w.manifest.vaults.find((vault) => vault.symbol === symbol)!;
    expect(mode("svALPHA")).toEqual(["OMS", ["OMS"], w.manifest.contracts.executor]);
    expect(mode("svDELTA")).toEqual(["EIP4337", ["EIP4337"], manifestVault("svDELTA").address]);
    expect(mode("svEPSILON")).toEqual([
      "EIP4337_COMPANION",
      ["EIP4337_COMPANION"],
      manifestVault("svEPSILON").companion,
    ]);
    expect(mode("svZETA")).toEqual(["EIP7702", ["EIP7702"], manifestVault("svZETA").delegate_eoa]);
  });

  it("OpenAPI documents every registered route, session keys included", async () => {
    const doc = (await api("GET", "/openapi.json", null)).body;
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = w.oms.app.registeredRoutes.map((route) => `${route.method} ${openApiPath(route.url)}`);
    expect(documented.sort()).toEqual([...registered].sort());
    expect(registered).toContain("GET /defix/vaults/{vault_id}/session-key/readiness");
  });
});
