import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { publicRpcUrl } = await import("./server-config");

describe("publicRpcUrl: the chain URL a signed-out browser may see", () => {
  it("reuses RPC_URL only when it points at this machine", () => {
    expect(publicRpcUrl({ RPC_URL: "http://127.0.0.1:8545" })).toBe("http://127.0.0.1:8545");
    expect(publicRpcUrl({ RPC_URL: "http://localhost:28545" })).toBe("http://localhost:28545");
    expect(publicRpcUrl({ RPC_URL: "http://[::1]:8545" })).toBe("http://[::1]:8545");
  });

  it("never hands out a remote RPC_URL (it may carry a provider key)", () => {
    for (const url of [
      "https://eth-mainnet.example.com/v2/SECRET",
      "http://127.0.0.1.evil.example/",
      "http://user:SECRET@127.0.0.1:8545",
      "http://10.0.0.5:8545",
    ]) {
      expect(publicRpcUrl({ RPC_URL: url }), url).toBeUndefined();
    }
  });

  it("PUBLIC_RPC_URL wins, and empty means none", () => {
    const env = { RPC_URL: "https://eth.example.com/v2/SECRET", PUBLIC_RPC_URL: "https://rpc.public.example" };
    expect(publicRpcUrl(env)).toBe("https://rpc.public.example");
    expect(publicRpcUrl({ RPC_URL: "http://127.0.0.1:8545", PUBLIC_RPC_URL: "" })).toBeUndefined();
  });
});
