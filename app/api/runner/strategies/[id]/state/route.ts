import { z } from "zod";
import { runnerPath, withRunner } from "@/lib/bff/runner";
import { SetStrategyState, Strategy } from "@/lib/defix/strategies";

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/) });

// PUT /api/runner/strategies/:id/state – set IDLE/RUNNING with expected_version (managers; 409 VERSION_CONFLICT)
export const PUT = withRunner(
  { schema: { params: Params, body: SetStrategyState }, csrf: true },
  ({ params, body, runner }) =>
    runner({ response: Strategy, method: "PUT", path: runnerPath.strategyState(params.id), body }),
);
