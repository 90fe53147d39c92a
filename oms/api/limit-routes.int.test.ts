import type { FastifyInstance } from "fastify";
import { decodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import type { World } from "../../contracts/test/fixture";
import { PreparedTransaction, Readiness } from "../../lib/defix/session-keys";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { TestIssuer } from "../kernel/test-support/tokens";
import { sendPrepared } from "../keys/test-support/harness";
import { withKeyRoutesApp } from "./test-support/key-routes-app";

/** The on-chain limit prepares (issue 20) over HTTP: who may ask, what the calldata does, what history shows. */

let world: World;
let alpha: ManifestVault;
let issuer: TestIssuer;
let app: FastifyInstance;

withKeyRoutesApp((harness) => {
  ({ world, alpha, issuer, app } = harness);
});

async function call(
  method: "GET" | "POST",
  path: string,
  subject: string,
  body?: unknown,
  claims: Record<string, unknown> = {},
  vaultId = alpha.vault_id,
) {
  const token = await issuer.sign({ sub: subject.toLowerCase(), claims });
  const response = await app.inject({
    method,
    url: `/defix/vaults/${vaultId}/${path}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

const depositHook = (): string =>
  alpha.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))!.hook.toLowerCase();
type Body = { [field: string]: unknown };
const budget = (): Body => ({
  hook: depositHook(),
  max_amount: "100000000",
  max_executions: 3,
  period_seconds: 86_400,
  rolling: true,
});
const manager = () => world.accounts.managerOne.address;
const readiness = async () => Readiness.parse((await call("GET", "session-key/readiness", manager())).body);

describe("on-chain limit routes", () => {
  it("prepares a budget the primary manager's wallet sets; readiness and history show it", async () => {
    const prepared = await call("POST", "limits/budget", manager(), budget());
    expect(prepared.status).toBe(200);
    const tx = PreparedTransaction.parse(prepared.body);
    expect(tx).toMatchObject({ to: world.manifest.contracts.executor.toLowerCase(), value: "0" });
    const decoded = decodeFunctionData({ abi: sessionKeyExecutorAbi, data: tx.data });
    expect(decoded.functionName).toBe("setBudget");
    expect(decoded.args?.slice(2)).toEqual([100_000_000n, 3, 86_400, true]);
    await sendPrepared(world, tx);

    expect((await readiness()).limits?.budgets).toEqual([
      expect.objectContaining({ hook: depositHook(), max_amount: "100000000", max_executions: 3, rolling: true }),
    ]);
    const history = await call("GET", "session-key/history", world.accounts.viewer.address);
    const entries = history.body.entries as Array<{ type: string; details?: Record<string, string> }>;
    expect(entries.slice(0, 2).map((entry) => entry.type)).toEqual(["BUDGET_SET", "BUDGET_PREPARED"]);
    expect(entries[0]?.details).toMatchObject({ hook: depositHook(), max_amount: "100000000", rolling: "true" });
  });

  it("pauses and unpauses through the wallet; readiness says PAUSED in between; history records both", async () => {
    const pause = await call("POST", "limits/pause", manager());
    expect(pause.status).toBe(200);
    const tx = PreparedTransaction.parse(pause.body);
    expect(tx.to).toBe(world.manifest.contracts.registry.toLowerCase());
    expect(decodeFunctionData({ abi: vaultRegistryAbi, data: tx.data }).functionName).toBe("pause");
    await sendPrepared(world, tx);
    expect(await readiness()).toMatchObject({ is_ready: false, reason: "PAUSED", limit_reason: "PAUSED" });
    expect(await call("POST", "limits/pause", manager())).toMatchObject({
      status: 409,
      body: { error: { code: "PAUSED" } },
    });

    await sendPrepared(world, PreparedTransaction.parse((await call("POST", "limits/unpause", manager())).body));
    expect((await readiness()).reason).not.toBe("PAUSED");
    expect(await call("POST", "limits/unpause", manager())).toMatchObject({ status: 409 });
    const history = await call("GET", "session-key/history", manager());
    expect((history.body.entries as Array<{ type: string }>).map((entry) => entry.type).slice(0, 4)).toEqual([
      "UNPAUSED",
      "UNPAUSE_PREPARED",
      "PAUSED",
      "PAUSE_PREPARED",
    ]);
  });

  it("lets a guardian the primary named prepare a pause, never an unpause", async () => {
    const guardian = world.accounts.outsider;
    const named = await call("POST", "limits/guardian", manager(), { guardian: guardian.address, enabled: true });
    expect(named.status).toBe(200);
    await sendPrepared(world, PreparedTransaction.parse(named.body));

    const pause = await call("POST", "limits/pause", guardian.address);
    expect(pause.status).toBe(200);
    await sendPrepared(world, PreparedTransaction.parse(pause.body), guardian);
    expect((await readiness()).reason).toBe("PAUSED");
    expect(await call("POST", "limits/unpause", guardian.address)).toMatchObject({
      status: 403,
      body: { error: { code: "NOT_PRIMARY_MANAGER" } },
    });
  });

  describe.each([
    ["a secondary manager", () => world.accounts.managerTwo.address, () => ({})],
    ["a view-only user", () => world.accounts.viewer.address, () => ({})],
    ["an outsider (not a guardian)", () => world.accounts.outsider.address, () => ({})],
    ["the strategy-runner service", () => "svc:strategy-runner", () => ({ svc_vaults: [alpha.vault_id] })],
  ])("as %s", (_who, subject, claims) => {
    const prepares: Array<[string, () => Body | undefined]> = [
      ["limits/budget", budget],
      ["limits/pause", () => undefined],
      ["limits/unpause", () => undefined],
      ["limits/guardian", () => ({ guardian: world.accounts.outsider.address, enabled: true })],
    ];
    it.each(prepares)("POST %s is 403 NOT_PRIMARY_MANAGER", async (path, makeBody) => {
      const response = await call("POST", path, subject(), makeBody(), claims());
      expect(response).toMatchObject({ status: 403, body: { error: { code: "NOT_PRIMARY_MANAGER" } } });
    });
  });

  it("refuses bad budgets and guardians with 400 and writes nothing", async () => {
    const bad = [
      { ...budget(), hook: "0x000000000000000000000000000000000000dead" },
      { ...budget(), max_amount: (1n << 128n).toString() },
      { ...budget(), max_amount: "-1" },
      { ...budget(), period_seconds: 367 * 86_400 },
      { ...budget(), max_executions: 2 ** 32 },
      { ...budget(), extra: true },
    ];
    for (const body of bad) {
      const response = await call("POST", "limits/budget", manager(), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    }
    const zero = { guardian: "0x0000000000000000000000000000000000000000", enabled: true };
    expect((await call("POST", "limits/guardian", manager(), zero)).status).toBe(400);
    const history = await call("GET", "session-key/history", manager());
    expect(history.body.entries).toEqual([]);
  });

  it.each([
    ["EIP4337", "svDELTA"],
    ["EIP4337_COMPANION", "svEPSILON"],
  ])("sets a budget on the %s vault's own key holder (%s); readiness and history show it", async (_mode, symbol) => {
    const vault = world.vault(symbol);
    const hook = vault.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))!.hook.toLowerCase();
    const response = await call("POST", "limits/budget", manager(), { ...budget(), hook }, {}, vault.vault_id);
    expect(response.status).toBe(200);
    const tx = PreparedTransaction.parse(response.body);
    // The budget binds where the key executes: the vault account itself, or the companion beside the vault.
    expect(tx.to).toBe(vault.key_holder?.toLowerCase());
    expect(tx.to).not.toBe(world.manifest.contracts.executor.toLowerCase());
    await sendPrepared(world, tx);
    const ready = Readiness.parse(
      (await call("GET", "session-key/readiness", manager(), undefined, {}, vault.vault_id)).body,
    );
    expect(ready.limits?.budgets).toEqual([
      expect.objectContaining({ hook, max_amount: "100000000", max_executions: 3, used_executions: 0 }),
    ]);
    const history = await call("GET", "session-key/history", manager(), undefined, {}, vault.vault_id);
    const entries = history.body.entries as Array<{ type: string }>;
    expect(entries.slice(0, 2).map((entry) => entry.type)).toEqual(["BUDGET_SET", "BUDGET_PREPARED"]);
  });

  it("refuses a budget for an EIP7702 vault whose EOA does not delegate yet (it would set nothing)", async () => {
    const zeta = world.vault("svZETA");
    const hook = zeta.merkle.hooks.find((leaf) => leaf.label.startsWith("Deposit4626Hook"))!.hook.toLowerCase();
    const manager2 = world.accounts.managerTwo.address;
    const response = await call("POST", "limits/budget", manager2, { ...budget(), hook }, {}, zeta.vault_id);
    expect(response).toMatchObject({ status: 409, body: { error: { code: "DELEGATION_MISSING" } } });
  });
});
