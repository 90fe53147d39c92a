import { describe, expect, it } from "vitest";
import { SubmitIntentRequest } from "../../lib/defix/intents";
import type { ManifestHook, ManifestVault } from "../../lib/deployment/manifest";
import { buildIntentRequest, MissingHookError } from "./intent-request";

const VAULT = "0x1000000000000000000000000000000000000001" as const;
const SRC_A = "0x2000000000000000000000000000000000000002" as const;
const SRC_B = "0x3000000000000000000000000000000000000003" as const;
const DEPOSIT_HOOK = "0x4000000000000000000000000000000000000004" as const;
const REDEEM_HOOK = "0x5000000000000000000000000000000000000005" as const;
const bytes32 = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

function hook(name: ManifestHook["name"], source: `0x${string}`, n: number): ManifestHook {
  return {
    label: `${name}:${source}`,
    name,
    hook: name === "Deposit4626Hook" ? DEPOSIT_HOOK : REDEEM_HOOK,
    hook_args: `0x${source.slice(2).padStart(64, "0")}`,
    yield_source: source,
    leaf: bytes32(n),
    proof: [bytes32(n + 100)],
  };
}

const vault: ManifestVault = {
  vault_id: `31337:${VAULT}`,
  address: VAULT,
  name: "Vault",
  symbol: "V",
  strategy: VAULT,
  primary_manager: SRC_A,
  secondary_managers: [],
  yield_sources: [SRC_A, SRC_B],
  merkle: {
    root: bytes32(1),
    tree: {},
    hooks: [hook("Deposit4626Hook", SRC_A, 2), hook("Deposit4626Hook", SRC_B, 3), hook("Redeem4626Hook", SRC_A, 4)],
  },
};

describe("buildIntentRequest", () => {
  it("builds a deposit that passes the shared contract, with the deposit hook's proof", () => {
    const request = buildIntentRequest(
      vault,
      "s-1",
      { kind: "submit", action: "DEPOSIT", target: SRC_B, sizeExpr: "5" },
      7,
    );
    const parsed = SubmitIntentRequest.parse(request);
    expect(parsed.action_config).toMatchObject({
      execution_address: DEPOSIT_HOOK,
      target_address: SRC_B,
      from_address: VAULT,
    });
    expect(parsed.action_config.execution_params).toEqual({ runner_seq: 7 });
    expect(parsed.auth_signing.proofs).toEqual([
      { hook: DEPOSIT_HOOK, hook_args: vault.merkle.hooks[1]!.hook_args, proof: [bytes32(103)] },
    ]);
  });

  it("gives a rebalance two proofs in execution order and names the destination", () => {
    const request = buildIntentRequest(
      vault,
      "s-2",
      { kind: "submit", action: "REBALANCE", target: SRC_A, destination: SRC_B, sizeExpr: "9" },
      1,
    );
    const parsed = SubmitIntentRequest.parse(request);
    expect(parsed.auth_signing.proofs?.map((p) => p.hook)).toEqual([REDEEM_HOOK, DEPOSIT_HOOK]);
    expect(parsed.action_config.execution_params.to_yield_source).toBe(SRC_B);
  });

  it("refuses an action whose hook is not in the published tree", () => {
    expect(() =>
      buildIntentRequest(vault, "s-3", { kind: "submit", action: "WITHDRAWAL", target: SRC_B, sizeExpr: "1" }, 1),
    ).toThrow(MissingHookError);
  });
});
