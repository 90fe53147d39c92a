import type { Kysely, Selectable } from "kysely";
import { Strategy } from "../../../lib/defix/strategies";
import { StrategyParams } from "../rules";
import type { StrategySeed } from "../seed";
import type { RunnerDatabase, RunnerStrategyTable } from "./schema";

export interface StoredStrategy {
  strategy: Strategy;
  params: StrategyParams;
  submitSeq: number;
}

const now = () => new Date().toISOString();

/** The one place that parses stored rows: a row that does not match the contract fails loudly. */
function parseRow(row: Selectable<RunnerStrategyTable>): StoredStrategy {
  const strategy = Strategy.parse({
    strategy_id: row.strategy_id,
    vault_id: row.vault_id,
    name: row.name,
    lane: row.lane,
    action: row.action,
    state: row.state,
    tick_interval_ms: Number(row.tick_interval_ms),
    version: Number(row.version),
    last_intent_id: row.last_intent_id,
    last_intent_state: row.last_intent_state,
    last_tick_at: row.last_tick_at,
    last_error: row.last_error,
  });
  return { strategy, params: StrategyParams.parse(JSON.parse(row.params)), submitSeq: Number(row.submit_seq) };
}

export type SetStateResult = { ok: true; strategy: Strategy } | { ok: false; current: Strategy | null };

export class StrategyRepository {
  constructor(private readonly db: Kysely<RunnerDatabase>) {}

  /** Inserts missing seeds only: a restart keeps every state and version. */
  async seed(seeds: readonly StrategySeed[], tickMs: number): Promise<void> {
    const at = now();
    for (const s of seeds) {
      await this.db
        .insertInto("runner_strategies")
        .values({
          strategy_id: s.strategy_id,
          vault_id: s.vault_id,
          name: s.name,
          lane: s.lane,
          action: s.action,
          state: "IDLE",
          tick_interval_ms: tickMs,
          version: 0,
          params: JSON.stringify(s.params),
          last_intent_id: null,
          last_intent_state: null,
          last_tick_at: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column("strategy_id").doNothing())
        .execute();
      await this.db
        .insertInto("runner_vaults")
        .values({ vault_id: s.vault_id, kill_switch: 0, updated_at: at })
        .onConflict((oc) => oc.column("vault_id").doNothing())
        .execute();
    }
  }

  async list(vaultId: string): Promise<StoredStrategy[]> {
    const rows = await this.db
      .selectFrom("runner_strategies")
      .selectAll()
      .where("vault_id", "=", vaultId)
      .orderBy("strategy_id")
      .execute();
    return rows.map(parseRow);
  }

  async listAll(): Promise<StoredStrategy[]> {
    const rows = await this.db.selectFrom("runner_strategies").selectAll().orderBy("strategy_id").execute();
    return rows.map(parseRow);
  }

  async get(strategyId: string): Promise<StoredStrategy | null> {
    const row = await this.db
      .selectFrom("runner_strategies")
      .selectAll()
      .where("strategy_id", "=", strategyId)
      .executeTakeFirst();
    return row ? parseRow(row) : null;
  }

  /** Optimistic concurrency: the update applies only when the stored version is `expectedVersion`. */
  async setState(strategyId: string, state: Strategy["state"], expectedVersion: number): Promise<SetStateResult> {
    const result = await this.db
      .updateTable("runner_strategies")
      .set((eb) => ({ state, version: eb("version", "+", 1), updated_at: now() }))
      .where("strategy_id", "=", strategyId)
      .where("version", "=", expectedVersion)
      .executeTakeFirst();
    const current = await this.get(strategyId);
    if (Number(result.numUpdatedRows) === 1 && current) return { ok: true, strategy: current.strategy };
    return { ok: false, current: current?.strategy ?? null };
  }

  async killSwitch(vaultId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("runner_vaults")
      .select("kill_switch")
      .where("vault_id", "=", vaultId)
      .executeTakeFirst();
    return Number(row?.kill_switch ?? 0) === 1;
  }

  /** Engaging stops every strategy of the vault (each RUNNING one becomes IDLE with a new version). */
  async setKillSwitch(vaultId: string, engaged: boolean): Promise<void> {
    const at = now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("runner_vaults")
        .values({ vault_id: vaultId, kill_switch: engaged ? 1 : 0, updated_at: at })
        .onConflict((oc) => oc.column("vault_id").doUpdateSet({ kill_switch: engaged ? 1 : 0, updated_at: at }))
        .execute();
      if (!engaged) return;
      await trx
        .updateTable("runner_strategies")
        .set((eb) => ({ state: "IDLE", version: eb("version", "+", 1), updated_at: at }))
        .where("vault_id", "=", vaultId)
        .where("state", "=", "RUNNING")
        .execute();
    });
  }

  /** Reserves the next submission number before the intent is sent. */
  async nextSeq(strategyId: string): Promise<number> {
    await this.db
      .updateTable("runner_strategies")
      .set((eb) => ({ submit_seq: eb("submit_seq", "+", 1) }))
      .where("strategy_id", "=", strategyId)
      .execute();
    const row = await this.get(strategyId);
    if (!row) throw new Error(`strategy ${strategyId} disappeared`);
    return row.submitSeq;
  }

  // Runtime fields below never touch `state` or `version`, so they cannot clobber a manager's change.

  async recordTick(strategyId: string, at: Date, error: string | null): Promise<void> {
    await this.db
      .updateTable("runner_strategies")
      .set({ last_tick_at: at.toISOString(), last_error: error })
      .where("strategy_id", "=", strategyId)
      .execute();
  }

  async recordIntent(
    strategyId: string,
    intentId: string,
    intentState: Strategy["last_intent_state"],
    error: string | null,
  ): Promise<void> {
    await this.db
      .updateTable("runner_strategies")
      .set({ last_intent_id: intentId, last_intent_state: intentState, last_error: error })
      .where("strategy_id", "=", strategyId)
      .execute();
  }
}
