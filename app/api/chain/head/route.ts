import type { NextRequest } from "next/server";
import { rpcUrl } from "@/lib/auth/server-config";
import { errorResponse, unauthenticated } from "@/lib/bff/errors";
import { readSession } from "@/lib/bff/session";
import { serverChainClient } from "@/lib/chain/server-client";
import { ErrorCode } from "@/lib/defix/errors";
import type { ChainHead } from "@/lib/defix/vaults";

// GET /api/chain/head – the latest block, so pages without wallet code can say "N blocks ago"
export async function GET(req: NextRequest): Promise<Response> {
  const requestId = crypto.randomUUID();
  const session = await readSession(req);
  if (!session) return errorResponse(unauthenticated(), requestId);
  try {
    const block = await serverChainClient(rpcUrl()).getBlockNumber({ cacheTime: 1_000 });
    const head: ChainHead = { block_number: Number(block), checked_at: new Date().toISOString() };
    return Response.json(head, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    console.error("[chain/head] block number read failed", error instanceof Error ? error.message : String(error));
    return Response.json(
      { error: { code: ErrorCode.CHAIN_UNAVAILABLE, message: "The chain could not be read.", request_id: requestId } },
      { status: 503 },
    );
  }
}
