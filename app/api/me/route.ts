import { vaultRolesFor } from "@/lib/auth/roles";
import { BffError } from "@/lib/bff/errors";
import { jsonResponse, withSession } from "@/lib/bff/handler";
import { NoQuery } from "@/lib/bff/schemas";
import { ErrorCode } from "@/lib/defix/errors";

// GET /api/me – the signed-in address and the vaults it holds a role on (drives the navigation)
export const GET = withSession({ schema: { query: NoQuery } }, async ({ session }) => {
  try {
    const vaults = await vaultRolesFor(session.address);
    return jsonResponse({ address: session.address, vaults });
  } catch (error) {
    console.error("[me] role lookup failed", error instanceof Error ? error.message : String(error));
    throw new BffError(503, ErrorCode.CHAIN_UNAVAILABLE, "Vault roles could not be read from the chain.");
  }
});
