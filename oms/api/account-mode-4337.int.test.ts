import { getAddress, http, parseEventLogs } from "viem";
import { createBundlerClient } from "viem/account-abstraction";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superVaultAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { Intent } from "../../lib/defix";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

/**
 * The two ERC-4337 modes end to end over HTTP (docs/ARCHITECTURE.md, "Account modes"): the key is granted on the
 * vault's account (svDELTA: the vault itself; svEPSILON: its companion), an intent runs as a user operation through
 * a real alto bundler, and the fill matches the EntryPoint's UserOperationEvent.
 */

const MANAGER_ONE = devAccount(1);
const TERMINAL = ["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"];
const BUNDLER_PORT = 11_040;

type Event = { message_type: string; payload: Record<string, unknown> };

describe.each(DIALECTS)("EIP4337 account modes on %s", (dialect) => {
  let w: OmsWorld;

  beforeAll(async () => {
    w = await startOmsWorld(dialect, {}, { bundlerPort: BUNDLER_PORT + DIALECTS.indexOf(dialect) });
  }, 180_000);
  afterAll(async () => w?.stop());

  const api = (method: "GET" | "POST", path: string, body?: unknown) => w.api(method, path, MANAGER_ONE.address, body);

  const terminal = (id: string) =>
    poll(
      async () => {
        const intent = (await api("GET", `/defix/intents/${id}`)).body as Intent;
        return TERMINAL.includes(intent.state) ? intent : null;
      },
      "a terminal state",
      90_000,
    );

  it.each([
    ["svDELTA", "EIP4337"],
    ["svEPSILON", "EIP4337_COMPANION"],
  ] as const)(
    "%s: a %s intent runs as a user op to COMPLETED, its fill = the UserOperationEvent",
    async (symbol, mode) => {
      const vault = w.manifest.vaults.find((v) => v.symbol === symbol)!;
      const keyBase = `/defix/vaults/${vault.vault_id}/session-key`;
      const grant = await api("GET", `${keyBase}/grant`);
      expect(grant.status).toBe(200);
      expect(getAddress(grant.body.to)).toBe(getAddress(vault.key_holder!));
      await w.sendAs(1, grant.body);
      await poll(async () => ((await api("GET", `${keyBase}/readiness`)).body.is_ready ? true : null), "readiness");

      const intent = submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: "1000000" });
      expect(intent.account_mode).toBe(mode);
      const submitted = await api("POST", "/defix/intents", intent);
      expect(submitted.status).toBe(201);
      const done = await terminal(submitted.body.id);
      const events = (await api("GET", `/defix/intents/${submitted.body.id}/events`)).body.events as Event[];
      expect(done, JSON.stringify(events.at(-1))).toMatchObject({ state: "COMPLETED", account_mode: mode });

      const signed = events.find((event) => event.message_type === "TX_SIGNED")!;
      const userOpHash = signed.payload.user_op_hash as `0x${string}`;
      expect(userOpHash).toMatch(/^0x[0-9a-f]{64}$/);
      const bundler = createBundlerClient({
        transport: http(`http://127.0.0.1:${BUNDLER_PORT + DIALECTS.indexOf(dialect)}`),
      });
      const opReceipt = await bundler.getUserOperationReceipt({ hash: userOpHash });
      expect(opReceipt.success).toBe(true);
      expect(getAddress(opReceipt.sender)).toBe(getAddress(vault.key_holder!));

      const fills = (await api("GET", `/defix/intents/${submitted.body.id}/fills`)).body.fills;
      expect(fills).toHaveLength(1);
      expect(fills[0].tx_hash).toBe(opReceipt.receipt.transactionHash);
      expect(String(fills[0].gas_used)).toBe(opReceipt.actualGasUsed.toString());
      const [executed] = parseEventLogs({ abi: superVaultAbi, eventName: "HookExecuted", logs: opReceipt.logs });
      expect(executed!.args.amountIn).toBe(1_000_000n);
      expect(fills[0].amount_out).toBe(executed!.args.amountOut.toString());
      const completed = events.find((event) => event.message_type === "INTENT_COMPLETED")!;
      expect(completed.payload).toMatchObject({
        user_op_hash: userOpHash,
        actual_gas_cost: opReceipt.actualGasCost.toString(),
        tx_hash: opReceipt.receipt.transactionHash,
      });
    },
    120_000,
  );

  it("15 intents of one account at once: each its own EntryPoint nonce key, all COMPLETED, one op each", async () => {
    const vault = w.manifest.vaults.find((v) => v.symbol === "svDELTA")!;
    const bodies = Array.from({ length: 15 }, (_, i) =>
      submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: String(1_000 + i), strategyId: `burst-${i}` }),
    );
    const submitted = await Promise.all(bodies.map((body) => api("POST", "/defix/intents", body)));
    expect(submitted.map((res) => res.status)).toEqual(bodies.map(() => 201));
    const done = await Promise.all(submitted.map((res) => terminal(res.body.id)));
    expect(done.map((intent) => intent.state)).toEqual(bodies.map(() => "COMPLETED"));
    const keys = new Set<unknown>();
    for (const res of submitted) {
      const events = (await api("GET", `/defix/intents/${res.body.id}/events`)).body.events as Event[];
      expect(events.filter((event) => event.message_type === "TX_SIGNED")).toHaveLength(1);
      keys.add(events.find((event) => event.message_type === "TX_SIGNED")!.payload.nonce_key);
      expect((await api("GET", `/defix/intents/${res.body.id}/fills`)).body.fills).toHaveLength(1);
    }
    expect(keys.size).toBe(15);
  }, 180_000);

  it("a budget on the vault account binds its user ops: of 4 intents at once against 2 executions, 2 complete, 2 wait BUDGET_EXHAUSTED, no op fails", async () => {
    const vault = w.manifest.vaults.find((v) => v.symbol === "svDELTA")!;
    const hook = vault.merkle.hooks.find((leaf) => leaf.name === "Deposit4626Hook")!.hook.toLowerCase();
    const setBudget = (maxExecutions: number, period: number) =>
      api("POST", `/defix/vaults/${vault.vault_id}/limits/budget`, {
        hook,
        max_amount: "0",
        max_executions: maxExecutions,
        period_seconds: period,
        rolling: false,
      });
    const keyBase = `/defix/vaults/${vault.vault_id}/session-key`;
    if (!(await api("GET", `${keyBase}/readiness`)).body.is_ready) {
      await w.sendAs(1, (await api("GET", `${keyBase}/grant`)).body);
      await poll(async () => ((await api("GET", `${keyBase}/readiness`)).body.is_ready ? true : null), "readiness");
    }
    const prepared = await setBudget(2, 86_400);
    expect(prepared.status).toBe(200);
    expect(getAddress(prepared.body.to)).toBe(getAddress(vault.key_holder!));
    await w.sendAs(1, prepared.body);
    try {
      const bodies = Array.from({ length: 4 }, (_, i) =>
        submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: String(2_000 + i), strategyId: `budget-${i}` }),
      );
      const submitted = await Promise.all(bodies.map((body) => api("POST", "/defix/intents", body)));
      const ids = submitted.map((res) => res.body.id as string);
      let last: string[] = [];
      const split = await poll(
        async () => {
          const states = await Promise.all(
            ids.map(async (id) => {
              const intent = (await api("GET", `/defix/intents/${id}`)).body as Intent;
              const events = (await api("GET", `/defix/intents/${id}/events`)).body.events as Event[];
              const waiting = events.some(
                (event) => event.message_type === "WAITING" && event.payload.reason === "BUDGET_EXHAUSTED",
              );
              return { intent, events, waiting };
            }),
          );
          const done = states.filter((entry) => TERMINAL.includes(entry.intent.state));
          const waiting = states.filter((entry) => !TERMINAL.includes(entry.intent.state) && entry.waiting);
          last = states.map(
            (entry) =>
              `${entry.intent.state}:${entry.events.at(-1)?.message_type}:${String(entry.events.at(-1)?.payload.reason ?? entry.events.at(-1)?.payload.code ?? "")}`,
          );
          return done.length === 2 && waiting.length === 2 ? { done, waiting } : null;
        },
        "2 terminal and 2 waiting BUDGET_EXHAUSTED",
        90_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; last seen: ${last.join(", ")}`);
      });
      expect(split.done.map((entry) => entry.intent.state)).toEqual(["COMPLETED", "COMPLETED"]);
      for (const entry of split.waiting) {
        expect(entry.events.filter((event) => event.message_type === "TX_SIGNED")).toHaveLength(0);
      }
      const readiness = (await api("GET", `/defix/vaults/${vault.vault_id}/session-key/readiness`)).body;
      expect(readiness.limits.budgets).toEqual([
        expect.objectContaining({ hook, used_executions: 2, remaining_executions: 0, exhausted: true }),
      ]);
    } finally {
      // Lift the budget so the waiting intents (and any later test) go on.
      await w.sendAs(1, (await setBudget(0, 0)).body);
    }
  }, 180_000);
});
