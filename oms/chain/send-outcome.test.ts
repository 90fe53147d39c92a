import { describe, expect, it } from "vitest";
import { sendOutcomeOf } from "./viem-gateway";

describe("sendOutcomeOf", () => {
  it("marks a refusal for missing gas money so the engine can say why it stopped", () => {
    const error = new Error("Insufficient funds for gas * price + value");
    expect(sendOutcomeOf(error)).toEqual({
      kind: "rejected",
      message: "Insufficient funds for gas * price + value",
      code: "INSUFFICIENT_FUNDS",
    });
  });

  it("keeps other refusals as plain messages and known/nonce answers as such", () => {
    expect(sendOutcomeOf(new Error("max fee per gas less than block base fee"))).toEqual({
      kind: "rejected",
      message: "max fee per gas less than block base fee",
    });
    expect(sendOutcomeOf(new Error("already known"))).toEqual({ kind: "known" });
    expect(sendOutcomeOf(new Error("nonce too low"))).toEqual({ kind: "nonce-used" });
  });
});
