import { withOms } from "@/lib/bff/route";
import { NoQuery } from "@/lib/bff/schemas";
import { VaultList } from "@/lib/defix/vaults";

// GET /api/oms/vaults – the vaults the caller holds a role on, with that role (as the OMS sees it)
export const GET = withOms({ schema: { query: NoQuery } }, ({ oms }) =>
  oms({ response: VaultList, path: ["defix", "vaults"] }),
);
