import { publicJwks } from "@/lib/auth/issuer";

// GET /api/auth/jwks – the OMS token issuer's public key set (for OMS_JWKS_URL)
export async function GET(): Promise<Response> {
  return Response.json(await publicJwks(), { headers: { "cache-control": "public, max-age=300" } });
}
