import { describe, expect, it } from "vitest";
import { EXPIRY_PRESETS } from "@/lib/query/session-keys";
import { keyTxExpectation, presetSeconds } from "./key-expectation";

describe("keyTxExpectation", () => {
  it("turns every expiry preset into the lifetime the prepared expiry may not exceed", () => {
    expect(EXPIRY_PRESETS.map((preset) => presetSeconds(preset.value))).toEqual([86_400, 604_800, 2_592_000]);
  });

  it("takes addresses and the stipend ceiling from the console's own target, never from the transaction", () => {
    const target = {
      chainId: 31337,
      chainName: "Local anvil",
      registry: "0x0000000000000000000000000000000000000001",
      vault: "0x0000000000000000000000000000000000000002",
      primaryManager: "0x0000000000000000000000000000000000000003",
      executor: "0x0000000000000000000000000000000000000004",
      strategy: "0x0000000000000000000000000000000000000002",
      maxStipendWei: "1000000000000000000",
    } as const;
    const now = new Date("2026-12-02T00:00:00Z");
    expect(keyTxExpectation({ operation: "revoke", target, currentKey: null, expiry: undefined, now })).toEqual({
      action: "revoke",
      chainId: 31337,
      executor: target.executor,
      holderName: "SessionKeyExecutor",
      strategy: target.strategy,
      currentKey: null,
      requestedSeconds: null,
      maxStipendWei: 10n ** 18n,
      now,
    });
  });

  it("points a smart-account vault's key transactions at its mode's key holder, not the executor", () => {
    const target = {
      chainId: 31337,
      chainName: "Local anvil",
      registry: "0x0000000000000000000000000000000000000001",
      vault: "0x0000000000000000000000000000000000000002",
      primaryManager: "0x0000000000000000000000000000000000000003",
      executor: "0x0000000000000000000000000000000000000004",
      strategy: "0x0000000000000000000000000000000000000002",
      maxStipendWei: "0",
      account: {
        mode: "EIP4337",
        keyHolder: "0x0000000000000000000000000000000000000002",
        keyHolderName: "SuperVaultAccount",
        delegation: null,
      },
    } as const;
    const expectation = keyTxExpectation({
      operation: "revoke",
      target,
      currentKey: null,
      expiry: undefined,
      now: new Date(),
    });
    expect(expectation).toMatchObject({ executor: target.vault, holderName: "SuperVaultAccount" });
  });
});
