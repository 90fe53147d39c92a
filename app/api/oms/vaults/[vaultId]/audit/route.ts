import { withOms } from "@/lib/bff/route";
import { VaultParams } from "@/lib/bff/schemas";
import { AuditQuery } from "@/lib/defix";

// GET /api/oms/vaults/:vaultId/audit – the signed audit export (JSONL/CSV), streamed through as a download (issue 19)
export const GET = withOms({ schema: { params: VaultParams, query: AuditQuery } }, ({ params, query, oms }) =>
  oms({ path: ["defix", "vaults", params.vaultId, "audit"], query, isDownload: true }),
);
