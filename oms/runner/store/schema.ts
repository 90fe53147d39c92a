import type { Generated } from "kysely";

export interface RunnerVaultTable {
  vault_id: string;
  /** 0/1 in both dialects, so one code path reads it. */
  kill_switch: number;
  updated_at: string;
}

export interface RunnerStrategyTable {
  strategy_id: string;
  vault_id: string;
  name: string;
  lane: string;
  action: string;
  state: string;
  tick_interval_ms: number;
  version: number;
  /** JSON of the rule's parameters (see `rules.ts`). */
  params: string;
  /** Increments per submission; travels as `execution_params.runner_seq` so each tick is a distinct intent. */
  submit_seq: Generated<number>;
  last_intent_id: string | null;
  last_intent_state: string | null;
  last_tick_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** A strategy's intents that have not ended: what the engine follows and what may hold the next tick back. */
export interface RunnerOpenIntentTable {
  intent_id: string;
  strategy_id: string;
  state: string;
  /** 0/1: waiting for its approval quorum (does not hold the next tick back, up to the bound). */
  approval_pending: number;
  created_at: string;
}

export interface RunnerDatabase {
  runner_vaults: RunnerVaultTable;
  runner_strategies: RunnerStrategyTable;
  runner_open_intents: RunnerOpenIntentTable;
}
