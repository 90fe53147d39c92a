import { describe, expect, it } from "vitest";
import { delegationStatus } from "./delegation-state";

const IMPL = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("delegationStatus", () => {
  it("reads an EOA without code as not delegated", () => {
    expect(delegationStatus("0x", IMPL)).toEqual({ kind: "missing" });
    expect(delegationStatus(undefined, IMPL)).toEqual({ kind: "missing" });
  });

  it("accepts the designator of the implementation whatever the case", () => {
    expect(delegationStatus(`0xEF0100${IMPL.slice(2).toUpperCase()}`, IMPL)).toEqual({ kind: "delegated" });
  });

  it("names another delegate, and tells contract code apart from a designator", () => {
    const other = "0x1111111111111111111111111111111111111111";
    expect(delegationStatus(`0xef0100${other.slice(2)}`, IMPL)).toEqual({ kind: "other", target: other });
    expect(delegationStatus("0x6080604052", IMPL)).toEqual({ kind: "not-an-eoa" });
  });
});
