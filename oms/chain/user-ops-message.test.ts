import { RpcRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { aaCodeOf, bundlerMessage } from "./user-ops";

describe("bundlerMessage", () => {
  it("keeps the bundler's reason (and its AA code) from a JSON-RPC refusal, not viem's 'RPC Request failed.'", () => {
    const error = new RpcRequestError({
      body: { method: "eth_estimateUserOperationGas" },
      error: { code: -32500, message: "UserOperation reverted during simulation with reason: AA24 signature error" },
      url: "http://127.0.0.1:4337",
    });
    expect(error.shortMessage).toBe("RPC Request failed.");
    const message = bundlerMessage(error);
    expect(message).toBe("UserOperation reverted during simulation with reason: AA24 signature error");
    expect(aaCodeOf(message)).toBe("AA24");
  });

  it("says what a non-viem error says", () => {
    expect(bundlerMessage(new Error("socket hang up"))).toBe("socket hang up");
  });
});
