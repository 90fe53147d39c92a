import "server-only";
import { sharedNonceStore } from "@/lib/auth/nonce-store";

// POST /api/auth/nonce – a single-use SIWE nonce, valid for 5 minutes
export function POST(): Response {
  const { nonce, expiresAt } = sharedNonceStore().issue();
  return Response.json({ nonce, expires_at: expiresAt.toISOString() }, { headers: { "cache-control": "no-store" } });
}
