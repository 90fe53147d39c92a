import { type Intent, isTerminalState } from "../../lib/defix/intents";
import type { Readiness } from "../../lib/defix/session-keys";
import type { StrategyPreview } from "../../lib/defix/strategies";
import type { DeploymentManifest, ManifestVault } from "../../lib/deployment/manifest";
import type { ChainReader } from "./chain";
import { buildIntentRequest } from "./intent-request";
import { type OmsClient, OmsRequestError } from "./oms-client";
import { decide } from "./rules";
import type { OpenIntent, OpenIntentRepository } from "./store/open-intents-repo";
import type { StoredStrategy, StrategyRepository } from "./store/strategy-repo";

export interface EngineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface Engine {
  start(): void;
  stop(): Promise<void>;
  /** One pass over every strategy: follow its open intents, tick the due RUNNING ones nothing holds back. */
  runOnce(): Promise<void>;
  /** What the strategy would publish on its next tick, refined by the OMS; nothing is created. */
  preview(stored: StoredStrategy): Promise<StrategyPreview>;
}

export interface EngineDeps {
  repo: StrategyRepository;
  openIntents: OpenIntentRepository;
  /** How many of a strategy's intents may wait for approval before it stops publishing more. */
  maxWaiting: number;
  oms: OmsClient;
  chain: ChainReader;
  manifest: DeploymentManifest;
  loopMs: number;
  log: EngineLogger;
  now?: () => number;
}

/** Error text for the strategy card: codes and messages only, never a token or a key. */
function describeError(error: unknown): string {
  if (error instanceof OmsRequestError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message.slice(0, 300);
  return "unknown error";
}

function intentError(intent: Intent): string | null {
  return intent.error ? `${intent.error.code}: ${intent.error.message}` : null;
}

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  const vaults = new Map<string, ManifestVault>(deps.manifest.vaults.map((v) => [v.vault_id, v]));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let isStopped = true;

  function isDue(s: StoredStrategy): boolean {
    const last = s.strategy.last_tick_at;
    return last === null || now() - Date.parse(last) >= s.strategy.tick_interval_ms;
  }

  /**
   * An intent on its way to the chain holds the next one back, as it always did (two would race for the
   * same free assets and budget). Intents waiting for their quorum do not (issue 15): a strategy keeps
   * deciding while people decide, up to `maxWaiting` waiting at once.
   */
  function isHeldBack(open: readonly OpenIntent[]): boolean {
    const waiting = open.filter((intent) => intent.isApprovalPending).length;
    return waiting < open.length || waiting >= deps.maxWaiting;
  }

  /** Where the intent stands now; null once it ended or the OMS no longer knows it. */
  async function follow(s: StoredStrategy, open: OpenIntent): Promise<OpenIntent | null> {
    const id = open.intentId;
    const isLast = s.strategy.last_intent_id === id;
    try {
      const intent = await deps.oms.getIntent(id);
      const latest: OpenIntent = {
        ...open,
        state: intent.state,
        isApprovalPending: intent.approval_status === "pending",
      };
      if (isTerminalState(intent.state)) await deps.openIntents.forget(id);
      else if (latest.state !== open.state || latest.isApprovalPending !== open.isApprovalPending)
        await deps.openIntents.track(latest);
      if (isLast && intent.state !== s.strategy.last_intent_state) {
        await deps.repo.recordIntent(s.strategy.strategy_id, id, intent.state, intentError(intent));
        deps.log.info({ strategy_id: s.strategy.strategy_id, intent_id: id, state: intent.state }, "intent moved");
      }
      return isTerminalState(intent.state) ? null : latest;
    } catch (error) {
      // An intent the OMS no longer knows cannot finish: stop waiting for it so the strategy can go on.
      const isGone = error instanceof OmsRequestError && error.status === 404;
      if (isGone) await deps.openIntents.forget(id);
      if (isLast) {
        const state = isGone ? null : s.strategy.last_intent_state;
        await deps.repo.recordIntent(s.strategy.strategy_id, id, state, describeError(error));
      }
      return isGone ? null : open;
    }
  }

  async function tick(s: StoredStrategy, vault: ManifestVault, readiness: () => Promise<Readiness>): Promise<void> {
    const id = s.strategy.strategy_id;
    const at = new Date(now());
    try {
      const ready = await readiness();
      if (!ready.is_ready) {
        await deps.repo.recordTick(id, at, `Waiting for a ready session key (${ready.reason ?? "not ready"})`);
        return;
      }
      const decision = decide(s.params, await deps.chain.snapshot(vault));
      if (decision.kind === "skip") {
        await deps.repo.recordTick(id, at, null);
        return;
      }
      const seq = await deps.repo.nextSeq(id);
      const intent = await deps.oms.submitIntent(buildIntentRequest(vault, id, decision, seq));
      await deps.repo.recordTick(id, at, null);
      await deps.repo.recordIntent(id, intent.id, intent.state, intentError(intent));
      // Not known to wait yet (the OMS's approval gate runs after receipt): it holds the next tick back
      // until following it shows it waiting for its quorum.
      await deps.openIntents.track({
        intentId: intent.id,
        strategyId: id,
        state: intent.state,
        isApprovalPending: intent.approval_status === "pending",
      });
      deps.log.info({ strategy_id: id, intent_id: intent.id, action: intent.action }, "intent submitted");
    } catch (error) {
      deps.log.warn({ strategy_id: id, err: describeError(error) }, "tick failed");
      await deps.repo.recordTick(id, at, describeError(error));
    }
  }

  async function runOnce(): Promise<void> {
    const strategies = (await deps.repo.listAll()).filter((s) => vaults.has(s.strategy.vault_id));
    // One readiness answer per vault per pass, fetched only if some strategy needs it.
    const readinessByVault = new Map<string, Promise<Readiness>>();
    const readinessOf = (vaultId: string) => () => {
      let cached = readinessByVault.get(vaultId);
      if (!cached) {
        cached = deps.oms.readiness(vaultId);
        readinessByVault.set(vaultId, cached);
      }
      return cached;
    };
    const killed = new Map<string, boolean>();
    const openByStrategy = await deps.openIntents.byStrategy();
    for (const s of strategies) {
      const known = openByStrategy.get(s.strategy.strategy_id) ?? [];
      const open: OpenIntent[] = [];
      for (const intent of known) {
        const still = await follow(s, intent);
        if (still) open.push(still);
      }
      // A pass that sees a held-back strategy's intent end only records it (the card shows the outcome);
      // the next pass ticks.
      if (isHeldBack(known) || isHeldBack(open)) continue;
      if (s.strategy.state !== "RUNNING" || !isDue(s)) continue;
      const vaultId = s.strategy.vault_id;
      if (!killed.has(vaultId)) killed.set(vaultId, await deps.repo.killSwitch(vaultId));
      if (killed.get(vaultId)) continue;
      await tick(s, vaults.get(vaultId)!, readinessOf(vaultId));
    }
  }

  async function preview(s: StoredStrategy): Promise<StrategyPreview> {
    const strategyId = s.strategy.strategy_id;
    const vault = vaults.get(s.strategy.vault_id);
    if (!vault) return { kind: "skip", strategy_id: strategyId, reason: "the vault is not in this deployment" };
    const decision = decide(s.params, await deps.chain.snapshot(vault));
    if (decision.kind === "skip") return { kind: "skip", strategy_id: strategyId, reason: decision.reason };
    // The next seq is not taken: a preview must not change what the next tick publishes.
    const request = buildIntentRequest(vault, strategyId, decision, 0);
    const refinement = await deps.oms.refineIntent(request);
    return { kind: "refined", strategy_id: strategyId, action: decision.action, refinement };
  }

  function schedule(): void {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => deps.log.warn({ err: describeError(error) }, "runner pass failed"))
        .finally(() => {
          running = null;
          schedule();
        });
    }, deps.loopMs);
  }

  return {
    start() {
      if (!isStopped) return;
      isStopped = false;
      schedule();
    },
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    runOnce,
    preview,
  };
}
