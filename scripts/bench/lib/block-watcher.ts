import { createPublicClient, http } from "viem";
import { foundry } from "viem/chains";

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BlockWatcher {
  /** Wall time (`Date.now()`) at which this block number was first seen at the head. */
  seenAt(block: bigint): number | undefined;
  stop(): Promise<void>;
}

/**
 * Wall time at which each block number was first seen. Anvil's block timestamps are whole seconds,
 * too coarse for "within a block", so inclusion is timed by watching the head every 20 ms.
 */
export function watchBlocks(rpcUrl: string): BlockWatcher {
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
  const seen = new Map<bigint, number>();
  let isRunning = true;
  const loop = (async () => {
    let last = -1n;
    while (isRunning) {
      const head = await client.getBlockNumber({ cacheTime: 0 });
      const now = Date.now();
      // Several blocks can land between two polls (automine): all get the same first-seen time.
      for (let n = last + 1n; n <= head; n++) if (last >= 0n) seen.set(n, now);
      last = head;
      await sleep(POLL_MS);
    }
  })();
  return {
    seenAt: (block) => seen.get(block),
    async stop() {
      isRunning = false;
      await loop;
    },
  };
}
