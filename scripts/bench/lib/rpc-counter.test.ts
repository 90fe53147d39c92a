import { describe, expect, it } from "vitest";
import { callsBetween, rpcMethods } from "./rpc-counter";

describe("rpcMethods", () => {
  it("names one call's method and every method of a batch, and nothing of a body that is not JSON-RPC", () => {
    expect(rpcMethods('{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}')).toEqual(["eth_blockNumber"]);
    expect(rpcMethods('[{"method":"eth_call"},{"method":"eth_call"},{"id":3}]')).toEqual(["eth_call", "eth_call"]);
    expect(rpcMethods("not json")).toEqual([]);
  });
});

describe("callsBetween", () => {
  it("is what each method was called between two snapshots, most frequent first", () => {
    const before = new Map([["eth_call", 5]]);
    const after = new Map([
      ["eth_call", 9],
      ["eth_blockNumber", 12],
    ]);
    expect(callsBetween(before, after)).toEqual([
      ["eth_blockNumber", 12],
      ["eth_call", 4],
    ]);
  });
});
