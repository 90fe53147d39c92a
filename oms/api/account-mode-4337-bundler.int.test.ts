import { encodeFunctionData, http, parseAbi } from "viem";
import { createBundlerClient, entryPoint08Abi } from "viem/account-abstraction";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { Intent } from "../../lib/defix";
import { nonceKeyOf } from "../chain/user-ops";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

/**
 * A user operation the bundler drops (docs/ARCHITECTURE.md, "Account modes", resend), with a real alto whose debug
 * methods hold ops (bundling mode "manual") and drop them (debug_bundler_clearState): the OMS resends the same
 * nonce lane with bumped fees and completes once the bundler bundles again; if the bundler keeps dropping until the
 * deadline, the intent ends FAILED USER_OP_DROPPED and its nonce is unused (nothing executed). And an op that passes
 * validation but reverts in execution (the yield source repriced while it waited): FAILED EXECUTION_REVERTED with
 * what the account paid, its TX_MINED = the bundler's UserOperationEvent receipt.
 */

const MANAGER_ONE = devAccount(1);
const TERMINAL = ["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"];
const BUNDLER_PORT = 13_040;

type Event = { message_type: string; payload: Record<string, unknown> };

describe.each(DIALECTS)("EIP4337: user ops the bundler drops or that revert, on %s", (dialect) => {
  let w: OmsWorld;
  const bundlerUrl = `http://127.0.0.1:${BUNDLER_PORT + DIALECTS.indexOf(dialect)}`;

  beforeAll(async () => {
    w = await startOmsWorld(dialect, {}, { bundlerPort: BUNDLER_PORT + DIALECTS.indexOf(dialect), bundlerDebug: true });
    const vault = delta();
    const grant = await api("GET", `/defix/vaults/${vault.vault_id}/session-key/grant`);
    await w.sendAs(1, grant.body);
    await poll(
      async () =>
        (await api("GET", `/defix/vaults/${vault.vault_id}/session-key/readiness`)).body.is_ready ? true : null,
      "readiness",
    );
  }, 240_000);
  afterAll(async () => w?.stop());

  const delta = () => w.manifest.vaults.find((v) => v.symbol === "svDELTA")!;

  const api = (method: "GET" | "POST", path: string, body?: unknown) => w.api(method, path, MANAGER_ONE.address, body);

  async function bundler(method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(bundlerUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  }

  const events = async (id: string) => (await api("GET", `/defix/intents/${id}/events`)).body.events as Event[];
  const intentOf = async (id: string) => (await api("GET", `/defix/intents/${id}`)).body as Intent;
  const sent = (id: string) =>
    poll(async () => ((await events(id)).some((e) => e.message_type === "TX_BROADCAST") ? true : null), "a sent op");
  /** The EntryPoint nonce of the intent's own lane: `key << 64` while unused, `+1` once its op executed. */
  const laneNonce = (id: string) =>
    w.client.readContract({
      address: w.manifest.contracts.entry_point!,
      abi: entryPoint08Abi,
      functionName: "getNonce",
      args: [delta().address, nonceKeyOf(id)],
    });

  it("the bundler drops the op: the OMS resends the same lane with higher fees and it completes once", async () => {
    await bundler("debug_bundler_setBundlingMode", ["manual"]);
    const submitted = await api(
      "POST",
      "/defix/intents",
      submission(w.manifest, delta(), { action: "DEPOSIT", sizeExpr: "1000000", strategyId: "dropped-then-resent" }),
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    await sent(id);
    await bundler("debug_bundler_clearState", []);
    expect((await intentOf(id)).state).toBe("EXECUTING");
    await bundler("debug_bundler_setBundlingMode", ["auto"]);

    const done = await poll(
      async () => {
        const intent = await intentOf(id);
        return TERMINAL.includes(intent.state) ? intent : null;
      },
      "a terminal state",
      120_000,
    );
    const timeline = await events(id);
    expect(done, JSON.stringify(timeline.at(-1))).toMatchObject({ state: "COMPLETED" });
    const first = timeline.find((e) => e.message_type === "TX_SIGNED")!.payload;
    const resends = timeline.filter((e) => e.message_type === "TX_REPLACED").map((e) => e.payload);
    expect(resends.length).toBeGreaterThanOrEqual(1);
    // Same lane (nonce key and sequence), higher fees, a new userOpHash.
    expect(resends[0]).toMatchObject({
      nonce_key: first.nonce_key,
      nonce: first.nonce,
      replaced_tx_hash: first.user_op_hash,
    });
    expect(BigInt(resends[0]!.max_fee_per_gas as string)).toBeGreaterThan(BigInt(first.max_fee_per_gas as string));
    const completed = timeline.find((e) => e.message_type === "INTENT_COMPLETED")!.payload;
    expect(completed.user_op_hash).not.toBe(first.user_op_hash);
    // Executed exactly once: one fill, the lane's nonce used once.
    expect((await api("GET", `/defix/intents/${id}/fills`)).body.fills).toHaveLength(1);
    expect(await laneNonce(id)).toBe((nonceKeyOf(id) << 64n) + 1n);
  }, 180_000);

  it("the bundler drops every op until the deadline: FAILED USER_OP_DROPPED, its nonce unused", async () => {
    await bundler("debug_bundler_setBundlingMode", ["manual"]);
    const submitted = await api(
      "POST",
      "/defix/intents",
      submission(w.manifest, delta(), {
        action: "DEPOSIT",
        sizeExpr: "1000001",
        strategyId: "dropped-until-deadline",
        ttlSeconds: 20,
      }),
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    await sent(id);
    const done = await poll(
      async () => {
        await bundler("debug_bundler_clearState", []);
        const intent = await intentOf(id);
        return TERMINAL.includes(intent.state) ? intent : null;
      },
      "a terminal state",
      120_000,
    );
    await bundler("debug_bundler_setBundlingMode", ["auto"]);
    expect(done.state).toBe("FAILED");
    expect(done.error?.code).toBe("USER_OP_DROPPED");
    expect(await laneNonce(id)).toBe(nonceKeyOf(id) << 64n);
    expect((await api("GET", `/defix/intents/${id}/fills`)).body.fills).toHaveLength(0);
  }, 180_000);
  it("an op whose execution reverts (yield source repriced while the op waited): FAILED EXECUTION_REVERTED, attempt = the UserOperationEvent", async () => {
    const vault = delta();
    const hook = vault.merkle.hooks.find((h) => h.name === "Deposit4626Hook")!;
    await bundler("debug_bundler_setBundlingMode", ["manual"]);
    const submitted = await api(
      "POST",
      "/defix/intents",
      submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: "1000002", strategyId: "reverts-in-execution" }),
    );
    const id = submitted.body.id as string;
    await sent(id);
    // A large donation raises the yield source's share price: the deposit's shares fall below the plan's minimum,
    // which only execution checks (validation passes).
    const data = encodeFunctionData({
      abi: parseAbi(["function mint(address to, uint256 amount)"]),
      functionName: "mint",
      args: [hook.yield_source, 10n ** 15n],
    });
    await w.sendAs(0, { to: w.manifest.contracts.asset.address, data, value: "0" });
    await bundler("debug_bundler_setBundlingMode", ["auto"]);
    const done = await poll(
      async () => {
        const intent = await intentOf(id);
        return TERMINAL.includes(intent.state) ? intent : null;
      },
      "a terminal state",
      60_000,
    );
    expect(done.state).toBe("FAILED");
    expect(done.error?.code).toBe("EXECUTION_REVERTED");
    expect(done.error?.message).toMatch(/UserOperationEvent success = false.*the account paid \d+ wei/);
    const mined = (await events(id)).find((e) => e.message_type === "TX_MINED")!.payload;
    const opReceipt = await createBundlerClient({ transport: http(bundlerUrl) }).getUserOperationReceipt({
      hash: mined.user_op_hash as `0x${string}`,
    });
    expect(opReceipt.success).toBe(false);
    expect(mined).toMatchObject({
      success: false,
      tx_hash: opReceipt.receipt.transactionHash,
      actual_gas_cost: opReceipt.actualGasCost.toString(),
      actual_gas_used: opReceipt.actualGasUsed.toString(),
    });
    expect((await api("GET", `/defix/intents/${id}/fills`)).body.fills).toHaveLength(0);
  }, 180_000);
});
