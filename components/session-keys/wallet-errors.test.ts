import { UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/query/fetcher";
import { classifyFlowError, preparedRejection } from "./wallet-errors";

describe("classifyFlowError", () => {
  it("recognises a rejected signature however deeply the wallet wrapped it", () => {
    const wrapped = new Error("Transaction failed", { cause: new UserRejectedRequestError(new Error("denied")) });
    expect(classifyFlowError(wrapped)).toMatchObject({
      kind: "rejected",
      message: "You rejected the signature. Nothing was sent; you can try again.",
    });
    expect(classifyFlowError({ code: 4001, message: "User denied" }).kind).toBe("rejected");
  });

  it("explains a rotation completed before it was on-chain", () => {
    expect(classifyFlowError(new ApiError(409, "ROTATION_NOT_ON_CHAIN", "not yet")).kind).toBe("rotation-not-on-chain");
  });

  it("explains that only the primary manager may prepare key changes", () => {
    expect(classifyFlowError(new ApiError(403, "NOT_PRIMARY_MANAGER", "no")).kind).toBe("not-primary");
  });

  it("recognises a reverted transaction", () => {
    expect(classifyFlowError(new Error("Execution reverted with reason: NotPrimaryManager()")).kind).toBe("reverted");
  });

  it("states a refused prepared transaction with its code and reason", () => {
    expect(preparedRejection("it is addressed to 0xabc")).toEqual({
      kind: "prepared-rejected",
      code: "PREPARED_TX_REJECTED",
      message: "Refused before your wallet opened: it is addressed to 0xabc.",
    });
  });
});
