import type { Kysely } from "kysely";
import type { IntentEvent } from "../../lib/defix";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import type { VaultManagers } from "../../lib/roles/directory";
import type { ChainGateway } from "../chain/gateway";
import { createNonceManager, type NonceManager } from "../chain/nonce-manager";
import type { UserOpGateway } from "../chain/user-ops";
import type { Clock } from "../domain/clock";
import type { SessionKeyProvider } from "../domain/session-key-provider";
import type { Logger } from "../kernel/logger";
import type { DriveContext } from "../store/drive-context";
import type { Database } from "../store/schema";
import { type AppendBatcher, createAppendBatcher } from "./append-batcher";
import type { KnownAttempts, PendingSteps } from "./commit";
import { ReceiptWatch } from "./receipt-watch";
import { createSigningLanes, type SigningLanes } from "./signing-lane";

export interface EngineConfig {
  /** How often an intent waiting for a session key looks again. */
  waitRetryMs: number;
  /** How often an EXECUTING intent checks for its receipt. */
  receiptPollMs: number;
  /** Blocks a broadcast transaction may stay unmined before it is replaced with higher fees. */
  replaceAfterBlocks: number;
  /** …or this long, whichever comes first (an automining chain makes no blocks while nothing is sent). */
  replaceAfterMs: number;
  /**
   * Replacements per intent before the engine stops bumping and only keeps the last attempt alive:
   * a nonce can never be skipped, so a key that cannot pay must not escalate fees without bound.
   */
  maxReplacements: number;
  /** Backoff after an unexpected error (chain unreachable, …). */
  errorBackoffMs: number;
  /**
   * Most a single transaction may cost (gas limit × max fee per gas), replacements included; null = no
   * cap. Above it nothing is signed: a new intent waits (FEE_CAP_EXCEEDED), a replacement is priced at
   * most at the cap and otherwise the signed attempts are kept alive.
   */
  maxFeePerTxWei: bigint | null;
  /**
   * Longest a drive keeps a step queued (see PendingSteps) while its next steps wait on the node, the signer's lane
   * or the database: past it the queue is written on its own, so what the intent did is seen while it waits.
   */
  queuedStepMaxMs: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  waitRetryMs: 1_000,
  receiptPollMs: 250,
  replaceAfterBlocks: 3,
  replaceAfterMs: 15_000,
  maxReplacements: 8,
  errorBackoffMs: 1_000,
  maxFeePerTxWei: null,
  queuedStepMaxMs: 100,
};

export interface EngineDeps {
  db: Kysely<Database>;
  chain: ChainGateway;
  manifest: DeploymentManifest;
  keys: SessionKeyProvider;
  nonces: NonceManager;
  /** The signers' lanes, signing and committing the intents that wait on one signer together. */
  signing: SigningLanes;
  /** Group commit of data-only writes on PostgreSQL (see AppendBatcher); unset: each write is its own. */
  appends?: AppendBatcher;
  /** The bundler and EntryPoint for the EIP4337 modes; unset: this OMS cannot execute them (no BUNDLER_URL). */
  userOps?: UserOpGateway;
  clock: Clock;
  config: EngineConfig;
  /** Set while a worker drives one intent: steps queued to be written together (see PendingSteps). */
  pending?: PendingSteps;
  /** Set while a worker drives one intent: its attempts as this drive stored or queued them (see KnownAttempts). */
  known?: KnownAttempts;
  /** Set while a worker drives an intent it claimed before planning: what it was submitted under (DriveContext). */
  context?: DriveContext;
  /**
   * The vault's managers now (on-chain), for approval quorums that name "the managers"; unset: the
   * manifest's (in-process harnesses).
   */
  managers?: (vaultId: string) => Promise<VaultManagers | undefined>;
  /** Shared head and per-intent "nothing new since this block" for EXECUTING polls; unset: every poll checks fully. */
  receipts?: ReceiptWatch;
  /** Fan-out of committed events to subscribers (the service's in-process bus). */
  publish(events: readonly IntentEvent[]): void;
  log: Logger;
}

/**
 * The engine's dependencies from the service's: with its own nonce manager, signers' lanes, append batcher and
 * receipt watch, and `engine` over the default configuration.
 */
export function createEngineDeps(
  base: Omit<EngineDeps, "nonces" | "signing" | "appends" | "receipts" | "config" | "pending"> & {
    engine?: Partial<EngineConfig>;
  },
): EngineDeps {
  const { engine, ...deps } = base;
  const nonces = createNonceManager(deps.db, deps.chain, deps.clock);
  return {
    ...deps,
    nonces,
    signing: createSigningLanes(nonces),
    appends: createAppendBatcher(deps.log),
    config: { ...DEFAULT_ENGINE_CONFIG, ...engine },
    receipts: new ReceiptWatch(deps.chain, deps.clock),
  };
}
