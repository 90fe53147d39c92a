import type { Kysely } from "kysely";
import type { AuditCheckpoint } from "../../lib/defix/audit";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import { checkpointHash, checkpointMessage, headsRoot } from "../../lib/defix/audit-merkle";
import type { Logger } from "../kernel/logger";
import { insertCheckpoint, latestCheckpoint, vaultHeadsAt, vaultsChangedBetween } from "../store/checkpoints-repo";
import { advanceConsumer, leaseConsumer, releaseConsumer } from "../store/consumers";
import { headPosition } from "../store/positions";
import type { Database } from "../store/schema";
import type { ManifestSigner } from "./audit-export";

/**
 * Persisted per-vault checkpoints (docs/ARCHITECTURE.md, "Audit chain"): a periodic job, run by the holder of the
 * `audit-checkpoints` consumer lease, writes for every vault with new events a signed checkpoint over all of its
 * intents' heads at the log's head position, chained over the vault's previous checkpoint. The consumer's cursor is
 * the last position checkpointed. Deleting or rewriting an intent's events afterwards no longer matches the root.
 */
export const CHECKPOINT_CONSUMER = "audit-checkpoints";

/** Writes the vault's next checkpoint at `position` (every event up to it is committed: positions commit in order). */
export async function writeCheckpoint(
  db: Kysely<Database>,
  signer: ManifestSigner,
  vaultId: string,
  position: number,
  now: Date,
): Promise<AuditCheckpoint> {
  const heads = await vaultHeadsAt(db, vaultId, position);
  const previous = await latestCheckpoint(db, vaultId);
  const body = {
    vault_id: vaultId,
    seq: (previous?.seq ?? 0) + 1,
    position,
    intents: heads.length,
    heads_root: headsRoot(heads),
    created_at: now.toISOString(),
  };
  const prev_hash = previous?.hash ?? GENESIS_HASH;
  const unsigned = { ...body, prev_hash, hash: checkpointHash(prev_hash, body), signature: "" };
  const checkpoint = { ...unsigned, signature: signer.sign(checkpointMessage(unsigned)) };
  await insertCheckpoint(db, checkpoint);
  return checkpoint;
}

/** One round: a checkpoint for every vault with events after `since`; returns the position now covered. */
export async function checkpointRound(
  db: Kysely<Database>,
  signer: ManifestSigner,
  since: number,
  now: Date,
): Promise<number> {
  const head = await headPosition(db);
  if (head <= since) return since;
  for (const vaultId of await vaultsChangedBetween(db, since, head)) {
    await writeCheckpoint(db, signer, vaultId, head, now);
  }
  return head;
}

export interface CheckpointJob {
  /** Runs one round now if this process holds the lease (tests, shutdown); false when another process does. */
  runOnce(): Promise<boolean>;
  /** This process's view of the job's consumer, for `/health` (the shape of the outbox consumers' status). */
  status(): { name: string; holding: boolean; position: number | null; error: string | null };
  stop(): Promise<void>;
}

export function startCheckpointJob(deps: {
  db: Kysely<Database>;
  signer: ManifestSigner;
  owner: string;
  intervalMs: number;
  log: Logger;
  now?: () => Date;
}): CheckpointJob {
  const now = deps.now ?? (() => new Date());
  const lease = { name: CHECKPOINT_CONSUMER, owner: deps.owner };
  let running: Promise<boolean> = Promise.resolve(false);
  let stopped = false;
  let state = { holding: false, position: null as number | null, error: null as string | null };
  const round = async (): Promise<boolean> => {
    const held = await leaseConsumer(deps.db, {
      ...lease,
      now: now(),
      leaseMs: deps.intervalMs * 3,
      initialPosition: 0,
    });
    if (held === null) {
      state = { holding: false, position: null, error: null };
      return false;
    }
    state = { ...state, holding: true, position: held.position };
    try {
      const covered = await checkpointRound(deps.db, deps.signer, held.position, now());
      if (covered > held.position) await advanceConsumer(deps.db, { ...lease, position: covered, now: now() });
      state = { holding: true, position: Math.max(covered, held.position), error: null };
    } catch (error) {
      state = { ...state, error: error instanceof Error ? error.message : String(error) };
      throw error;
    }
    return true;
  };
  const runOnce = (): Promise<boolean> => {
    running = running.then(round, round);
    return running;
  };
  const tick = () => {
    runOnce().catch((error: unknown) => deps.log.error("audit checkpoint round failed", { error: String(error) }));
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  tick();
  return {
    runOnce,
    status: () => ({ name: CHECKPOINT_CONSUMER, ...state }),
    async stop() {
      if (stopped) return;
      stopped = true;
      state = { ...state, holding: false };
      clearInterval(timer);
      // A failed last round was logged by its tick; stopping still gives the lease up.
      await running.then(
        () => undefined,
        (error: unknown) => deps.log.warn("audit checkpoint round failed before stop", { error: String(error) }),
      );
      await releaseConsumer(deps.db, CHECKPOINT_CONSUMER, deps.owner);
    },
  };
}
