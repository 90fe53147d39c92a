import type { Kysely } from "kysely";
import type { z } from "zod";
import {
  type Fill,
  type Intent,
  type IntentEvent,
  type IntentList,
  isTerminalState,
  type ListIntentsQuery,
  type Refinement,
  type RefinementStatus,
  type SubmitIntent,
  type TxAttempt as TxAttemptSchema,
} from "../../lib/defix";
import { ErrorCode } from "../../lib/defix/errors";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { ChainGateway } from "../chain/gateway";
import { type Clock, systemClock } from "../domain/clock";
import { toIntent } from "../domain/record";
import type { SessionKeyProvider } from "../domain/session-key-provider";
import { type SubmitLimits, validateSubmission } from "../domain/validate";
import { commit, terminalEvent } from "../engine/commit";
import { createEngineDeps, type EngineConfig, type EngineDeps } from "../engine/deps";
import { startWorkers, type WorkerOptions, type Workers } from "../engine/workers";
import { DomainError } from "../kernel/errors";
import { type Logger, silentLog } from "../kernel/logger";
import type { WakeupSource } from "../kernel/pg-listen";
import { listAttempts } from "../store/attempts-repo";
import { StaleIntentError } from "../store/errors";
import { listEvents, listEventsAfterPosition } from "../store/events-repo";
import { createFacetCache } from "../store/facets";
import { listFills } from "../store/fills-repo";
import { getIntent } from "../store/intents-repo";
import { getIntentView, listIntents } from "../store/list-repo";
import { headPosition } from "../store/positions";
import type { Database } from "../store/schema";
import { createEventBus } from "./event-bus";
import { createIntentReads, type IntentReads, type ReadCacheLimits, type SerializedIntent } from "./intent-reads";
import { createIntentWriter } from "./intent-writer";
import { createRefiner } from "./refiner";
import { submitIntent } from "./submit";

export type TxAttempt = z.infer<typeof TxAttemptSchema>;

export interface Actor {
  subject: string;
  kind: "user" | "service";
}

export interface SubmitOptions {
  /** Execute exactly this refinement's plan, or refuse (REFINEMENT_STALE) when the vault moved since. */
  refinementId?: string;
}

export interface IntentService {
  submit(input: SubmitIntent, actor: Actor, options?: SubmitOptions): Promise<{ intent: Intent; created: boolean }>;
  /** Plans the intent at the head block without storing an intent or signing (issue 16). */
  refine(input: SubmitIntent, actor: Actor): Promise<Refinement>;
  /** Refines a stored, non-terminal intent at the head ("Refine now"): its own config, auth and deadline. */
  refineIntent(id: string, actor: Actor): Promise<Refinement>;
  /** A stored refinement with its freshness at the head; null when unknown. */
  refinement(id: string): Promise<RefinementStatus | null>;
  get(id: string): Promise<Intent | null>;
  list(query: ListIntentsQuery, visibleVaultIds: readonly string[] | "all"): Promise<IntentList>;
  /** GET /defix/intents/{id}'s answer as bytes, with the intent's vault (visibility is the caller's to check). */
  getSerialized(id: string): Promise<SerializedIntent | null>;
  /** GET /defix/intents's answer as bytes (`list`, serialized; first pages come from a cache). */
  listSerialized(query: ListIntentsQuery, visibleVaultIds: readonly string[] | "all"): Promise<Buffer>;
  cancel(id: string, actor: Actor): Promise<Intent>;
  events(id: string, afterSeq: number, limit: number): Promise<IntentEvent[]>;
  /** Committed events of the vaults after a global position, in position order (the vault stream's reads). */
  eventsAfter(
    position: number,
    vaultIds: readonly string[] | "all",
    limit: number,
  ): Promise<(IntentEvent & { vault_id: string })[]>;
  /** The last committed event position (0 before the first event). */
  headPosition(): Promise<number>;
  fills(id: string): Promise<Fill[]>;
  attempts(id: string): Promise<TxAttempt[]>;
  subscribe(listener: (event: IntentEvent) => void): () => void;
}

export interface IntentServiceDeps {
  db: Kysely<Database>;
  chain: ChainGateway;
  manifest: DeploymentManifest;
  keys: SessionKeyProvider;
  clock?: Clock;
  log?: Logger;
  defaultTtlSeconds?: number;
  /** Submit bounds (gas safety); none by default, the OMS passes its config's. */
  limits?: SubmitLimits;
  engine?: Partial<EngineConfig>;
  /** The bundler gateway for the EIP4337 modes; unset: submits in those modes are refused. */
  userOps?: EngineDeps["userOps"];
  /** The vault's managers now, for approval quorums naming "the managers" (unset: the manifest's). */
  managers?: EngineDeps["managers"];
  /**
   * Cues that another process committed events (PostgreSQL LISTEN/NOTIFY, `pgListener` on
   * `POSITION_CHANNEL`); each triggers a read of the events table by position. Unset: in-process only
   * (SQLite serves one process), plus the safety tick.
   */
  foreignEventWakeups?: WakeupSource;
  /** Safety tick: how often other processes' events are read by position without a cue (null = never; default 5 s). */
  foreignEventPollMs?: number | null;
  /**
   * How long first-page facet counts may be reused while nothing is committed in this process (it
   * bounds their staleness after another process's commits). Default 2 s; 0 recounts every time.
   */
  facetCacheMs?: number;
  /** Bounds of the read path's caches of serialized intents and first pages (see intent-reads.ts). */
  readCache?: ReadCacheLimits;
}

/** The service plus what the process entry needs: workers and shutdown. */
export interface IntentCore extends IntentService {
  startWorkers(options: WorkerOptions): Workers;
  readonly engine: EngineDeps;
  /** What the read caches hold (tests). */
  readCacheStats(): ReturnType<IntentReads["stats"]>;
  close(): Promise<void>;
}

const CANCEL_RETRIES = 5;
const SAFETY_TICK_MS = 5_000;

export function createIntentService(deps: IntentServiceDeps): IntentCore {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLog;
  const bus = createEventBus({
    db: deps.db,
    pollMs: deps.foreignEventPollMs === undefined ? SAFETY_TICK_MS : deps.foreignEventPollMs,
    wakeups: deps.foreignEventWakeups,
    log,
  });
  // Every commit in this process goes through `publish`, so counts never lag this process's own writes;
  // other processes' commits arrive through the bus's reads by position (the listener below).
  const facetCache = createFacetCache({ ttlMs: deps.facetCacheMs ?? 2_000 });
  const reads = createIntentReads({
    db: deps.db,
    facetCache,
    isListening: () => bus.isListening(),
    limits: deps.readCache,
  });
  const committed = (events: readonly IntentEvent[]) => {
    facetCache.invalidate();
    reads.committed(events);
  };
  const publish = (events: readonly IntentEvent[]) => {
    committed(events);
    bus.publish(events);
  };
  const stopInvalidating = bus.subscribe((event) => committed([event]));
  const engine = createEngineDeps({
    db: deps.db,
    chain: deps.chain,
    manifest: deps.manifest,
    keys: deps.keys,
    userOps: deps.userOps,
    clock,
    engine: deps.engine,
    managers: deps.managers,
    publish,
    log,
  });
  const running = new Set<Workers>();
  const wakeAll = () => {
    for (const workers of running) workers.wake();
  };

  const limits: SubmitLimits = { ...deps.limits, userOps: deps.userOps !== undefined };
  const defaultTtlSeconds = deps.defaultTtlSeconds ?? 900;
  const refiner = createRefiner({ engine, limits, defaultTtlSeconds });

  async function mustGet(id: string) {
    const record = await getIntent(deps.db, id);
    if (record === null) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `intent ${id} not found`);
    return record;
  }

  const writer = createIntentWriter(deps.db, limits.maxInFlightPerVault ?? null, log);
  const submitOne = (input: SubmitIntent, actor: Actor, id?: string) =>
    submitIntent(
      { db: deps.db, manifest: deps.manifest, limits, clock, defaultTtlSeconds, publish, wakeAll, writer },
      input,
      actor,
      id,
    );

  return {
    engine,
    /**
     * Idempotent: while an intent with the same (vault, action, config hash) is live, submitting
     * again returns it (created=false). Once it is terminal, the same submission creates a new intent:
     * strategies legitimately repeat the same action (e.g. "deposit half the free assets" every tick).
     */
    async submit(input, actor, options = {}) {
      const { refinementId } = options;
      if (refinementId === undefined) return submitOne(input, actor);
      validateSubmission(input, deps.manifest, limits);
      return refiner.submitRefined(
        refinementId,
        input,
        (id) => submitOne(input, actor, id),
        (id) => getIntentView(deps.db, id),
      );
    },
    refine: (input, actor) => refiner.refine(input, actor.subject),
    async refineIntent(id, actor) {
      const record = await mustGet(id);
      if (isTerminalState(record.state)) {
        throw new DomainError(ErrorCode.INTENT_TERMINAL, `intent is ${record.state}; there is nothing left to plan`);
      }
      const { vault_id, action, objective, account_mode, action_config, auth_signing, deadline } = record;
      const strategyId = record.strategy_id === null ? {} : { strategy_id: record.strategy_id };
      const input = { vault_id, action, objective, account_mode, action_config, auth_signing, deadline, ...strategyId };
      return refiner.refine(input, actor.subject);
    },
    refinement: (id) => refiner.status(id),
    get: (id) => getIntentView(deps.db, id),
    async list(query, visible) {
      return listIntents(deps.db, query, visible, facetCache);
    },
    getSerialized: (id) => reads.intent(id),
    readCacheStats: () => reads.stats(),
    listSerialized: (query, visible) => reads.page(query, visible),
    /**
     * Cancels before broadcast. While EXECUTING a transaction is out and may still mine, so cancel
     * is refused (409 INTENT_EXECUTING) rather than report CANCELED for something that then executes.
     */
    async cancel(id, actor) {
      for (let attempt = 0; attempt < CANCEL_RETRIES; attempt++) {
        const record = await mustGet(id);
        if (isTerminalState(record.state)) {
          throw new DomainError(ErrorCode.INTENT_TERMINAL, `intent is ${record.state}; terminal intents cannot change`);
        }
        if (record.state === "EXECUTING") {
          throw new DomainError(
            ErrorCode.INTENT_EXECUTING,
            "a transaction is already broadcast; the intent will end COMPLETED or FAILED as the chain decides",
          );
        }
        try {
          const event = terminalEvent("INTENT_CANCELED", "CANCELED_BY_USER", "canceled before execution", {
            canceled_by: actor.subject,
          });
          return toIntent(await commit(engine, record, [event]));
        } catch (error) {
          if (!(error instanceof StaleIntentError)) throw error;
        }
      }
      throw new DomainError(ErrorCode.CONFLICT, "intent is changing quickly; retry the cancel");
    },
    async events(id, afterSeq, limit) {
      await mustGet(id);
      return listEvents(deps.db, id, afterSeq, limit);
    },
    eventsAfter: (position, vaultIds, limit) => listEventsAfterPosition(deps.db, position, vaultIds, limit),
    headPosition: () => headPosition(deps.db),
    async fills(id) {
      await mustGet(id);
      return listFills(deps.db, id);
    },
    async attempts(id) {
      await mustGet(id);
      return (await listAttempts(deps.db, id)).map((attempt) => ({
        tx_hash: attempt.tx_hash,
        nonce: attempt.nonce,
        signer: attempt.signer,
        max_fee_per_gas: attempt.max_fee_per_gas.toString(),
        max_priority_fee_per_gas: attempt.max_priority_fee_per_gas.toString(),
        status: attempt.status,
        created_at: attempt.created_at,
      }));
    },
    subscribe: (listener) => bus.subscribe(listener),
    startWorkers(options) {
      const workers = startWorkers(engine, options);
      running.add(workers);
      return {
        wake: () => workers.wake(),
        async stop() {
          running.delete(workers);
          await workers.stop();
        },
      };
    },
    async close() {
      await Promise.all([...running].map((workers) => workers.stop()));
      running.clear();
      stopInvalidating();
      await bus.close();
    },
  };
}
