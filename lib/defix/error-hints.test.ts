import { describe, expect, it } from "vitest";
import { errorHint, hasSpecificHint } from "./error-hints";
import { ErrorCode } from "./errors";

describe("errorHint", () => {
  it("covers every intent execution outcome a strategy can hit", () => {
    const outcomes = [
      ErrorCode.SESSION_KEY_NOT_READY,
      ErrorCode.MERKLE_PROOF_INVALID,
      ErrorCode.MERKLE_ROOT_MISMATCH,
      ErrorCode.SIMULATION_REVERTED,
      ErrorCode.SLIPPAGE,
      ErrorCode.INSUFFICIENT_FREE_ASSETS,
      ErrorCode.SIZE_EXPR_INVALID,
      ErrorCode.EXECUTION_REVERTED,
      ErrorCode.USER_OP_REJECTED,
      ErrorCode.DEADLINE_PASSED,
      ErrorCode.ACCOUNT_MODE_UNSUPPORTED,
      ErrorCode.ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT,
    ];
    for (const code of outcomes) expect(hasSpecificHint(code), code).toBe(true);
  });
  it("points session-key problems at the canvas", () => {
    expect(errorHint(ErrorCode.SESSION_KEY_NOT_READY).action).toBe("canvas");
  });
  it("tells a lost OMS database apart from an unreachable OMS, and both are retryable", () => {
    expect(errorHint(ErrorCode.STORE_UNAVAILABLE).title).toBe("OMS database unavailable");
    expect(errorHint(ErrorCode.STORE_UNAVAILABLE).action).toBe("retry");
    expect(errorHint(ErrorCode.UPSTREAM_UNAVAILABLE).title).toBe("OMS unreachable");
  });
  it("falls back to a generic hint for unknown codes", () => {
    expect(errorHint("SOMETHING_NEW").title).toBe("Unexpected error");
  });
});
