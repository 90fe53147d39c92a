import { z } from "zod";
import { IsoDateTime } from "./common";
import { IntentAction, IntentState } from "./intents";
import { Refinement } from "./refinements";

export const Lane = z.enum(["INFLOW", "OUTFLOW", "REBALANCE"]);
export const StrategyState = z.enum(["IDLE", "RUNNING"]);

export const Strategy = z.object({
  strategy_id: z.string(),
  vault_id: z.string(),
  name: z.string(),
  lane: Lane,
  action: IntentAction,
  state: StrategyState,
  tick_interval_ms: z.number().int(),
  version: z.number().int(),
  last_intent_id: z.string().nullable(),
  last_intent_state: IntentState.nullable(),
  last_tick_at: IsoDateTime.nullable(),
  last_error: z.string().nullable(),
});
export type Strategy = z.infer<typeof Strategy>;

export const StrategyList = z.object({
  vault_id: z.string(),
  kill_switch: z.boolean(),
  strategies: z.array(Strategy),
  /**
   * A strategy keeps publishing while its intents wait for approval, until this many wait (the runner's
   * `RUNNER_MAX_WAITING_PER_STRATEGY`); an intent that is executing still holds the next one back.
   */
  max_waiting_approvals: z.number().int().min(1),
});
export type StrategyList = z.infer<typeof StrategyList>;
export const SetStrategyState = z.strictObject({ state: StrategyState, expected_version: z.number().int().min(0) });
export const KillSwitchRequest = z.strictObject({ engaged: z.boolean() });

/**
 * "Preview next intent": what the strategy would publish on its next tick, refined by the OMS (nothing
 * is created): `skip` with the rule's reason, or the intent's refinement (plan, or error + hint).
 */
export const StrategyPreview = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("skip"), strategy_id: z.string(), reason: z.string() }),
  z.object({ kind: z.literal("refined"), strategy_id: z.string(), action: IntentAction, refinement: Refinement }),
]);
export type StrategyPreview = z.infer<typeof StrategyPreview>;
