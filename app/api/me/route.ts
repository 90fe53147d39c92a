import type { NextRequest } from "next/server";
import { vaultRolesFor } from "@/lib/auth/roles";
import { errorResponse, unauthenticated } from "@/lib/bff/errors";
import { readSession } from "@/lib/bff/session";
import { ErrorCode } from "@/lib/defix/errors";

// GET /api/me – the signed-in address and the vaults it holds a role on (drives the navigation)
export async function GET(req: NextRequest): Promise<Response> {
  const requestId = crypto.randomUUID();
  const session = await readSession(req);
  if (!session) return errorResponse(unauthenticated(), requestId);
  try {
    const vaults = await vaultRolesFor(session.address);
    return Response.json({ address: session.address, vaults }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    console.error("[me] role lookup failed", error instanceof Error ? error.message : String(error));
    return Response.json(
      {
        error: {
          code: ErrorCode.CHAIN_UNAVAILABLE,
          message: "Vault roles could not be read from the chain.",
          request_id: requestId,
        },
      },
      { status: 503 },
    );
  }
}
