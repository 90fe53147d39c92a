import { describe, expect, it } from "vitest";
import { SubmitIntentRequest } from "../../lib/defix";
import { canonicalJson, recordDigest } from "../../lib/defix/audit-chain";
import { configHash } from "./config-hash";

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

  it("keeps the hashes already stored: idempotency keys and audit digests computed before are computed again", () => {
    // Pinned from the implementation these rows were written with (a change here would orphan live intents'
    // idempotency keys and break every stored chain).
    const input = {
      vault_id: "31337:0x1111111111111111111111111111111111111111",
      action: "DEPOSIT",
      action_config: {
        size_expr: "1000000",
        hooks: [{ b: 1, a: "x" }, { c: [3, 2, 1] }],
        note: "café ✓",
        zeta: null,
        alpha: true,
      },
      strategy_id: "s-1",
      account_mode: "OMS",
      auth_signing: { kind: "session_key", z: 1, a: { y: 2, x: [] } },
    } as unknown as Parameters<typeof configHash>[0];
    expect(configHash(input)).toBe("0xfa92cf6658e314bfac47557637036e4d6619dbe09eaab87060217e81b1a08abd");
    const record = { b: [1, { d: null, c: "é" }], a: { z: 0, y: -1.5e-7, x: "\u2028" }, "": 1, aa: 2, "a b": 3, B: 4 };
    expect(recordDigest(record)).toBe("85bd66605bea3e9d38500077547d649e45560b539da5e9cba7490d7a922588e1");
  });

  it("drops undefined members, writes an undefined array item as null, and orders keys by code unit", () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1], é: 1, z: 2, Z: 3 })).toBe(
      '{"Z":3,"a":[null,1],"z":2,"é":1}',
    );
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson("x")).toBe('"x"');
  });
});
