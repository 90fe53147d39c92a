import { withOms } from "@/lib/bff/route";
import { NoQuery } from "@/lib/bff/schemas";

// GET /api/oms/vaults – the vaults the caller holds a role on, with that role (as the OMS sees it)
export const GET = withOms({ schema: { query: NoQuery } }, ({ oms }) => oms({ path: ["defix", "vaults"] }));
