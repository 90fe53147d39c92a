import { afterEach, describe, expect, it } from "vitest";
import { type AnvilInstance, startAnvil } from "./anvil";

async function chainId(rpcUrl: string): Promise<string> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(2_000),
  });
  return ((await response.json()) as { result: string }).result;
}

const started: AnvilInstance[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((chain) => chain.stop()));
});

describe("startAnvil", () => {
  it("starts independent chains on free ports and frees the port on stop", async () => {
    const [first, second] = await Promise.all([startAnvil({ quiet: true }), startAnvil({ quiet: true })]);
    started.push(first, second);
    expect(first.port).not.toBe(second.port);
    expect(await chainId(first.rpcUrl)).toBe("0x7a69");

    await first.stop();
    await expect(chainId(first.rpcUrl)).rejects.toThrow();
    // The binary (not only its wrapper) is gone: the same port can be bound again at once.
    const again = await startAnvil({ port: first.port, quiet: true });
    started.push(again);
    expect(await chainId(again.rpcUrl)).toBe("0x7a69");
    await first.stop();
  });

  it("reports a port that is already taken instead of hanging", async () => {
    const taken = await startAnvil({ quiet: true });
    started.push(taken);
    await expect(startAnvil({ port: taken.port, quiet: true })).rejects.toThrow(/already in use/);
  });
});
