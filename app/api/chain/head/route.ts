import { rpcUrl } from "@/lib/auth/server-config";
import { BffError } from "@/lib/bff/errors";
import { jsonResponse, withSession } from "@/lib/bff/handler";
import { NoQuery } from "@/lib/bff/schemas";
import { serverChainClient } from "@/lib/chain/server-client";
import { ErrorCode } from "@/lib/defix/errors";
import type { ChainHead } from "@/lib/defix/vaults";

// GET /api/chain/head – the latest block, so pages without wallet code can say "N blocks ago"
export const GET = withSession({ schema: { query: NoQuery } }, async () => {
  try {
    const block = await serverChainClient(rpcUrl()).getBlockNumber({ cacheTime: 1_000 });
    const head: ChainHead = { block_number: Number(block), checked_at: new Date().toISOString() };
    return jsonResponse(head);
  } catch (error) {
    console.error("[chain/head] block number read failed", error instanceof Error ? error.message : String(error));
    throw new BffError(503, ErrorCode.CHAIN_UNAVAILABLE, "The chain could not be read.");
  }
});
