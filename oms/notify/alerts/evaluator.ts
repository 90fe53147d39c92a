import type { Kysely } from "kysely";
import type { IntentEvent } from "../../../lib/defix";
import type { AlertChange, AlertKind } from "../../../lib/defix/alerts";
import type { Readiness } from "../../../lib/defix/session-keys";
import type { Logger } from "../../kernel/logger";
import { type EventHead, listEventHeadsAfterPosition } from "../../store/events-repo";
import { getIntent } from "../../store/intents-repo";
import { headPosition } from "../../store/positions";
import type { Database } from "../../store/schema";
import {
  type ConsumerLoop,
  type ConsumerStatus,
  pageResult,
  type StepResult,
  startConsumerLoop,
} from "../consumer-loop";
import { raiseAlert, resolveAlert } from "./changes";
import { getAlertSettings, openAlerts } from "./repo";
import { failureRateConditions, gasConditions, keyExpiryConditions, reconcile, waitingConditions } from "./sweep";

export interface AlertEvaluatorDeps {
  db: Kysely<Database>;
  vaultIds: readonly string[];
  /** The vault's session-key readiness (oms/keys; cached there). */
  readiness(vaultId: string): Promise<Readiness>;
  /** What one execution costs at the current fee (wei): the GAS_LOW yardstick. */
  executionCostWei(): Promise<bigint>;
  owner: string;
  log: Logger;
  /** Backstop tick; also how often the sweep (waiting, key expiry, gas, failure rate) runs. */
  tickMs: number;
  leaseMs?: number;
  now?: () => Date;
  /** Every change this process made (live delivery to the console). */
  onChange?(change: AlertChange): void;
}

export interface AlertEvaluator {
  wake(): void;
  /** Runs the sweep now (tests, and after a settings change). */
  sweep(): Promise<void>;
  status(): ConsumerStatus;
  close(): Promise<void>;
}

const TERMINAL_KIND: Partial<Record<IntentEvent["message_type"], AlertKind>> = {
  INTENT_FAILED: "INTENT_FAILED",
  INTENT_ABORTED: "INTENT_ABORTED",
  INTENT_EXPIRED: "INTENT_EXPIRED",
};
const TERMINAL_KINDS: readonly AlertKind[] = ["INTENT_FAILED", "INTENT_ABORTED", "INTENT_EXPIRED"];
const PAGE = 200;

/**
 * The alert evaluator (docs/ARCHITECTURE.md, "Alerts"): an outbox consumer (`alerts`, one process at a
 * time by its lease) that raises INTENT_FAILED/ABORTED/EXPIRED from terminal events and resolves them on
 * the next COMPLETED intent of the same vault and action; and, on every tick, a sweep that reconciles the
 * conditions read from state (waiting intents, key expiry, gas money, failure rate) with the open alerts.
 */
export async function startAlertEvaluator(deps: AlertEvaluatorDeps): Promise<AlertEvaluator> {
  const now = deps.now ?? (() => new Date());
  let lastSweep = 0;

  /** Alert changes written so far: a step that wrote one has its cursor stored at once (`hasEffects`). */
  let changesWritten = 0;

  function emit(change: AlertChange | null): void {
    if (change === null) return;
    changesWritten += 1;
    deps.onChange?.(change);
  }

  async function onEvent(event: EventHead): Promise<void> {
    const kind = TERMINAL_KIND[event.message_type];
    if (kind === undefined && event.message_type !== "INTENT_COMPLETED") return;
    const intent = await getIntent(deps.db, event.intent_id);
    if (intent === null) return;
    if (kind === undefined) {
      for (const alert of await openAlerts(deps.db, TERMINAL_KINDS, event.vault_id)) {
        if (alert.details.action === intent.action) emit(await resolveAlert(deps.db, { key: alert.key, now: now() }));
      }
      return;
    }
    const word = kind.replace("INTENT_", "").toLowerCase();
    emit(
      await raiseAlert(deps.db, {
        vault_id: event.vault_id,
        kind,
        key: `${kind}:${intent.id}`,
        severity: kind === "INTENT_FAILED" ? "critical" : "warning",
        title: `${intent.action} intent ${word}`,
        message: intent.error?.message ?? `The intent ended ${kind.replace("INTENT_", "")}.`,
        intent_id: intent.id,
        strategy_id: intent.strategy_id,
        details: { action: intent.action, error_code: intent.error?.code ?? null, state: intent.state },
        now: now(),
      }),
    );
  }

  async function sweepVault(vaultId: string, costWei: bigint | null): Promise<void> {
    const at = now();
    const settings = await getAlertSettings(deps.db, vaultId);
    const changes = [
      ...(await reconcile(
        deps.db,
        vaultId,
        ["INTENT_WAITING"],
        await waitingConditions(deps.db, vaultId, settings, at),
        at,
      )),
      ...(await reconcile(
        deps.db,
        vaultId,
        ["FAILURE_RATE_HIGH"],
        await failureRateConditions(deps.db, vaultId, settings, at),
        at,
      )),
    ];
    const readiness = await deps.readiness(vaultId);
    // An unavailable chain says nothing about the key: keep what is open rather than resolve it.
    if (readiness.reason !== "CHAIN_UNAVAILABLE") {
      const expiry = keyExpiryConditions(vaultId, readiness, at);
      changes.push(
        ...(await reconcile(deps.db, vaultId, ["SESSION_KEY_EXPIRES_24H", "SESSION_KEY_EXPIRES_1H"], expiry, at)),
      );
      if (costWei !== null) {
        changes.push(
          ...(await reconcile(deps.db, vaultId, ["GAS_LOW"], gasConditions(vaultId, readiness, costWei, settings), at)),
        );
      }
    }
    for (const change of changes) emit(change);
  }

  async function sweep(): Promise<void> {
    lastSweep = Date.now();
    const costWei = await deps.executionCostWei().catch((error: unknown) => {
      deps.log.warn("alerts: fee estimate failed; GAS_LOW not evaluated this round", {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    });
    for (const vaultId of deps.vaultIds) {
      try {
        await sweepVault(vaultId, costWei);
      } catch (error) {
        deps.log.warn("alerts: evaluating a vault failed", {
          vault_id: vaultId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  async function step(position: number): Promise<StepResult> {
    // Heads only: an event's type, intent and vault say whether it raises or resolves anything.
    const events = await listEventHeadsAfterPosition(deps.db, position, PAGE);
    const writtenBefore = changesWritten;
    let last = position;
    for (const event of events) {
      await onEvent(event);
      last = event.position;
    }
    if (Date.now() - lastSweep >= deps.tickMs) await sweep();
    return { ...pageResult(last, events.length, PAGE), hasEffects: changesWritten > writtenBefore };
  }

  const loop: ConsumerLoop = startConsumerLoop({
    db: deps.db,
    name: "alerts",
    owner: deps.owner,
    leaseMs: deps.leaseMs ?? 15_000,
    tickMs: deps.tickMs,
    // Alerts are about what happens from now on: a first start does not replay history.
    initialPosition: await headPosition(deps.db),
    step,
    log: deps.log,
  });

  return {
    wake: () => loop.wake(),
    sweep,
    status: () => loop.status(),
    close: () => loop.stop(),
  };
}

/**
 * The runner's kill switch, reported by the runner with its service token (`PUT
 * /defix/vaults/{id}/kill-switch-state`): engaged raises KILL_SWITCH_ENGAGED, released resolves it.
 */
export async function reportKillSwitch(
  db: Kysely<Database>,
  vaultId: string,
  engaged: boolean,
  now: Date,
): Promise<AlertChange | null> {
  const key = `KILL_SWITCH_ENGAGED:${vaultId}`;
  if (!engaged) return resolveAlert(db, { key, now });
  return raiseAlert(db, {
    vault_id: vaultId,
    kind: "KILL_SWITCH_ENGAGED",
    key,
    severity: "critical",
    title: "Kill switch engaged",
    message: "The strategy runner's kill switch is engaged for this vault: every strategy is stopped.",
    now,
  });
}
