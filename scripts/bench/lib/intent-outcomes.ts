import { createPublicClient, http } from "viem";
import { foundry } from "viem/chains";
import type { BlockWatcher } from "./block-watcher";

const SETTLE_MS = 30_000;
const TERMINAL = new Set(["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "CANCELED"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FinalIntent {
  state: string;
  tx_hash: string | null;
}

/** Polls the OMS until every submitted intent is terminal (or SETTLE_MS pass). */
export async function settle(
  omsUrl: string,
  headers: Record<string, string>,
  submitted: readonly { id: string }[],
): Promise<Map<string, FinalIntent>> {
  const finals = new Map<string, FinalIntent>();
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const open = submitted.filter(({ id }) => !TERMINAL.has(finals.get(id)?.state ?? ""));
    if (open.length === 0) break;
    for (const { id } of open) {
      const response = await fetch(`${omsUrl}/defix/intents/${id}`, { headers });
      finals.set(id, (await response.json()) as FinalIntent);
    }
    await sleep(250);
  }
  return finals;
}

/** When the bench's 20 ms head watcher first saw the block that included each completed intent's transaction. */
export async function inclusionTimes(
  rpcUrl: string,
  finals: ReadonlyMap<string, FinalIntent>,
  watcher: BlockWatcher,
): Promise<Map<string, number>> {
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
  const includedAt = new Map<string, number>();
  for (const [id, intent] of finals) {
    if (intent.state !== "COMPLETED" || !intent.tx_hash) continue;
    const receipt = await client.getTransactionReceipt({ hash: intent.tx_hash as `0x${string}` });
    const seenAt = watcher.seenAt(receipt.blockNumber);
    if (seenAt !== undefined) includedAt.set(id, seenAt);
  }
  return includedAt;
}
