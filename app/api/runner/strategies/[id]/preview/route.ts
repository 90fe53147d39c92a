import { z } from "zod";
import { runnerPath, withRunner } from "@/lib/bff/runner";
import { StrategyPreview } from "@/lib/defix/strategies";

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/) });

// POST /api/runner/strategies/:id/preview – the strategy's next intent, refined by the OMS; nothing is created
export const POST = withRunner({ schema: { params: Params }, csrf: true }, ({ params, runner }) =>
  runner({ response: StrategyPreview, method: "POST", path: runnerPath.strategyPreview(params.id) }),
);
