import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { Intent, IntentList } from "../../lib/defix/intents";
import { defineRoute, registerRoutes } from "./route";

/** What a route with `compiledSerializer` puts on the wire for `value` (fastify compiles the schema). */
async function served(schema: z.ZodType, value: unknown): Promise<{ status: number; body: string }> {
  const app = Fastify();
  const route = defineRoute({
    method: "GET",
    url: "/thing",
    operationId: "thing",
    summary: "thing",
    tag: "Test",
    isPublic: true,
    responses: { 200: { description: "thing", schema } },
    compiledSerializer: true,
    handler: async () => ({ status: 200, body: value }),
  });
  registerRoutes(app, [route]);
  try {
    const response = await app.inject({ method: "GET", url: "/thing" });
    return { status: response.statusCode, body: response.body };
  } finally {
    await app.close();
  }
}

const base = Intent.parse({
  id: "0b6c7a57-2f1e-4d8b-9a53-0d3c1f1f2a11",
  vault_id: "31337:0x000000000000000000000000000000000000000a",
  strategy_id: null,
  action: "DEPOSIT",
  objective: "BALANCED",
  account_mode: "OMS",
  action_config: {
    size_expr: "1000000",
    execution_name: "Deposit4626Hook",
    execution_address: "0x1111111111111111111111111111111111111111",
    target_address: "0x2222222222222222222222222222222222222222",
    from_address: "0x000000000000000000000000000000000000000a",
    max_slippage_bps: 50,
    execution_params: { leaf: "x", amount: 12, flag: true },
  },
  state: "RECEIVED",
  status: "Processing",
  seq_num: 1,
  config_hash: `0x${"ab".repeat(32)}`,
  size: null,
  deadline: "2026-12-02T17:00:00.000Z",
  created_at: "2026-12-02T16:00:00.000Z",
  updated_at: "2026-12-02T16:00:00.000Z",
  state_entered_at: "2026-12-02T16:00:00.000Z",
  completed_at: null,
  tx_hash: null,
  gas_used: null,
  error: null,
  submitted_by: "0x000000000000000000000000000000000000000c",
  approval_status: "not_required",
  authorization: null,
});

const finished = Intent.parse({
  ...base,
  strategy_id: "inflow-1",
  state: "FAILED",
  status: "Failed",
  seq_num: 7,
  size: "123456789012345678901234567890",
  completed_at: "2026-12-02T16:00:03.000Z",
  tx_hash: `0x${"cd".repeat(32)}`,
  gas_used: 210_000,
  error: { code: "EXECUTION_REVERTED", message: 'reverted: "quote" \\ too low\n' },
  approval_status: "approved",
  authorization: {
    display_name: "Two of three",
    policy_version: 2,
    members: [
      { type: "manager", address: "0x000000000000000000000000000000000000000c", signed_at: "2026-12-02T16:00:01.000Z" },
      { type: "address", address: "0x000000000000000000000000000000000000000d", signed_at: null },
    ],
    threshold: 2,
    tolerance_bps: 100,
    caught_by: ["size above 1,000,000"],
    size: "1000000",
    size_block: 42,
  },
});

describe("compiled response serializer (serializerSchemaOf)", () => {
  it("writes an intent exactly as JSON.stringify of its parsed value does, nulls and nested objects included", async () => {
    for (const intent of [base, finished]) {
      const { status, body } = await served(Intent, intent);
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(intent)));
    }
  });

  it("writes a list page with its facet counts and cursor", async () => {
    const page = IntentList.parse({
      data: [base, finished],
      next_cursor: "abc",
      facets: {
        state: { RECEIVED: 1, FAILED: 1 },
        action: { DEPOSIT: 2 },
        vault_id: { [base.vault_id]: 2 },
        strategy_id: {},
      },
    });
    expect(JSON.parse((await served(IntentList, page)).body)).toEqual(JSON.parse(JSON.stringify(page)));
  });

  it("leaves out what the contract does not list, as zod's parse would", async () => {
    const leaked = { ...base, plan: { secret: 1 }, auth_signing: "0xsignature" };
    expect(JSON.parse((await served(Intent, leaked)).body)).toEqual(JSON.parse(JSON.stringify(base)));
  });

  it("answers 500 for a body missing a required field instead of writing a partial one", async () => {
    const { state: _dropped, ...partial } = base;
    const { status, body } = await served(Intent, partial);
    expect(status).toBe(500);
    expect(body).not.toContain(base.id);
  });
});
