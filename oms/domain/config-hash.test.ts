import { describe, expect, it } from "vitest";
import { SubmitIntentRequest } from "../../lib/defix";
import { canonicalJson, configHash } from "./config-hash";

const base = SubmitIntentRequest.parse({
  vault_id: "31337:0x00000000000000000000000000000000000000AA",
  action: "DEPOSIT",
  action_config: {
    size_expr: "1000",
    execution_name: "Deposit4626Hook",
    execution_address: "0x00000000000000000000000000000000000000d1",
    target_address: "0x00000000000000000000000000000000000000b1",
    from_address: "0x00000000000000000000000000000000000000aa",
    max_slippage_bps: 50,
  },
  auth_signing: { root: `0x${"11".repeat(32)}`, proof: [] },
});

describe("config hash", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });

  it("is the same whatever the key order or address case, and ignores deadline/ttl", () => {
    const reordered = SubmitIntentRequest.parse({
      auth_signing: { proof: [], root: `0x${"11".repeat(32)}` },
      action_config: { ...base.action_config, target_address: "0x00000000000000000000000000000000000000B1" },
      action: "DEPOSIT",
      vault_id: base.vault_id,
      ttl_seconds: 30,
    });
    expect(configHash(reordered)).toBe(configHash(base));
  });

  it("changes with anything that changes what would execute", () => {
    const changed = [
      { ...base, action_config: { ...base.action_config, size_expr: "1001" } },
      { ...base, action_config: { ...base.action_config, max_slippage_bps: 51 } },
      { ...base, strategy_id: "other" },
      { ...base, auth_signing: { ...base.auth_signing, root: `0x${"12".repeat(32)}` as const } },
    ];
    for (const input of changed) expect(configHash(input)).not.toBe(configHash(base));
  });
});
