import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import { Refinement, RefinementStatus, V01EventList } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, startOmsWorld } from "./test-support/oms-world";

const MANAGER_ONE = devAccount(1).address; // primary of ALPHA and BETA
const MANAGER_TWO = devAccount(2).address; // primary of GAMMA, secondary of ALPHA
const VIEWER = devAccount(3).address; // VIEW_ONLY on ALPHA
const OUTSIDER = devAccount(5).address;

describe.each(DIALECTS)("refinement and v0.1 routes on %s", (dialect) => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let gamma: ManifestVault;

  beforeAll(async () => {
    w = await startOmsWorld(dialect);
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA")!;
    gamma = w.manifest.vaults.find((vault) => vault.symbol === "svGAMMA")!;
  });
  afterAll(async () => {
    await w?.stop();
  });

  const api = (method: "GET" | "POST", path: string, sub: string, body?: unknown) => w.api(method, path, sub, body);
  const rpc = (sub: string, method: string, params: unknown) =>
    api("POST", "/rpc", sub, { jsonrpc: "2.0", id: 1, method, params });
  const deposit = (vault: ManifestVault, strategyId = "refine-api") =>
    submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: "1000", strategyId });

  it("only a manager of the vault may refine it; another vault's refinement is not found", async () => {
    const intentsBefore = await w.countIntents();
    for (const caller of [VIEWER, OUTSIDER]) {
      const refused = await api("POST", "/defix/intents/refine", caller, deposit(alpha));
      expect(refused.status).toBe(403);
    }
    // MANAGER_ONE has no role on GAMMA.
    expect((await api("POST", "/defix/intents/refine", MANAGER_ONE, deposit(gamma))).status).toBe(403);
    const viaRpc = await rpc(OUTSIDER, "requestRefinement", { intent: deposit(alpha) });
    expect(viaRpc.body.error.code).toBe(-32003);

    const made = await api("POST", "/defix/intents/refine", MANAGER_TWO, deposit(alpha));
    expect(made.status).toBe(201);
    const refinement = Refinement.parse(made.body);
    // No session key on ALPHA in this world: the plan would fail the way an execution would wait.
    expect(refinement.error).toMatchObject({ code: "SESSION_KEY_NOT_READY", revert: { name: "InvalidSessionKey" } });
    expect(await w.countIntents()).toBe(intentsBefore);

    const read = await api("GET", `/defix/refinements/${refinement.refinement_id}`, VIEWER);
    expect(read.status).toBe(200);
    expect(RefinementStatus.parse(read.body).freshness).toMatchObject({ is_fresh: true, changed: [] });
    const hidden = await api("GET", `/defix/refinements/${refinement.refinement_id}`, OUTSIDER);
    expect(hidden).toMatchObject({ status: 404, body: { error: { code: "REFINEMENT_NOT_FOUND" } } });
    const hiddenRpc = await rpc(OUTSIDER, "getRefinementStatus", [refinement.refinement_id]);
    expect(hiddenRpc.body.result).toEqual([null]);

    // A refinement without a plan cannot be submitted.
    const submit = await api("POST", "/defix/intents", MANAGER_TWO, {
      ...deposit(alpha),
      refinement_id: refinement.refinement_id,
    });
    expect(submit).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
  });

  it("JSON-RPC requestRefinement and getRefinementStatus", async () => {
    const made = await rpc(MANAGER_ONE, "requestRefinement", { intent: deposit(alpha, "rpc") });
    expect(made.status).toBe(200);
    const refinement = Refinement.parse(made.body.result);
    expect(refinement.calls[0]?.hook_name).toBe("Deposit4626Hook");
    const status = await rpc(MANAGER_ONE, "getRefinementStatus", [refinement.refinement_id]);
    expect(status.body.result[0]).toMatchObject({
      refinement_id: refinement.refinement_id,
      freshness: { is_fresh: true },
    });
    const bad = await rpc(MANAGER_ONE, "getRefinementStatus", ["not-a-uuid"]);
    expect(bad.body.error.code).toBe(-32602);
  });

  it("serves the v0.1 event view and the status= filter of the older page", async () => {
    const created = await api("POST", "/defix/intents", MANAGER_TWO, deposit(gamma, "v01"));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // "Refine now" on the stored intent: its own config; nothing about it changes.
    const now = await api("POST", `/defix/intents/${id}/refine`, MANAGER_TWO);
    expect(now.status).toBe(201);
    expect(Refinement.parse(now.body)).toMatchObject({ vault_id: gamma.vault_id, action: "DEPOSIT", size: "1000" });
    expect((await api("POST", `/defix/intents/${id}/refine`, OUTSIDER)).status).toBe(404);
    expect((await api("POST", `/defix/intents/${id}/cancel`, MANAGER_TWO)).status).toBe(200);
    const ended = await api("POST", `/defix/intents/${id}/refine`, MANAGER_TWO);
    expect(ended).toMatchObject({ status: 409, body: { error: { code: "INTENT_TERMINAL" } } });
    const view = await api("GET", `/defix/intents/${id}/events?format=v0.1`, MANAGER_TWO);
    expect(view.status).toBe(200);
    const { events } = V01EventList.parse(view.body);
    expect(events.map((event) => event.event_type)).toEqual(["submitted", "cancelled"]);
    expect(events[0]?.timestamp).toBe(created.body.created_at);
    const cancelled = await api("GET", `/defix/intents?vault_id=${gamma.vault_id}&status=Cancelled`, MANAGER_TWO);
    expect(cancelled.body.data.map((intent: { id: string }) => intent.id)).toContain(id);
    const processing = await api("GET", `/defix/intents?vault_id=${gamma.vault_id}&status=Processing`, MANAGER_TWO);
    expect(processing.body.data.map((intent: { id: string }) => intent.id)).not.toContain(id);
    const unknown = await api("GET", "/defix/intents?status=Pending", MANAGER_TWO);
    expect(unknown.status).toBe(400);
    const document = await api("GET", "/openapi.json", MANAGER_TWO);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(["/defix/intents/refine", "/defix/refinements/{id}"]),
    );
  });
});
