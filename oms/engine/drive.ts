import { isTerminalState } from "../../lib/defix";
import type { IntentRecord } from "../domain/record";
import type { DriveContext } from "../store/drive-context";
import { StaleIntentError } from "../store/errors";
import { finish, flush, knownAttempts, PendingSteps, type StepResult, writeSteps } from "./commit";
import type { EngineDeps } from "./deps";
import { executeStep } from "./execute";
import { isUserOpMode } from "./planner";
import { ackStep, planStep, stageStep } from "./steps";
import { trackStep } from "./track";
import { trackUserOpStep } from "./user-op";

/** One lifecycle step for the intent's current state. */
export async function stepIntent(deps: EngineDeps, record: IntentRecord): Promise<StepResult> {
  if (isTerminalState(record.state)) return { kind: "done" };
  const vault = deps.manifest.vaults.find((v) => v.vault_id === record.vault_id);
  if (vault === undefined) {
    if (record.state === "EXECUTING") throw new Error(`vault ${record.vault_id} left the manifest mid-execution`);
    return finish(deps, record, "INTENT_ABORTED", "VAULT_NOT_FOUND", "vault is not in this deployment");
  }
  switch (record.state) {
    case "RECEIVED":
      return ackStep(deps, record, vault);
    case "ACKED":
      return stageStep(deps, record);
    case "STAGED":
      return planStep(deps, record, vault);
    case "PLANNED":
      return executeStep(deps, record, vault);
    case "EXECUTING":
      return isUserOpMode(vault) ? trackUserOpStep(deps, record, vault) : trackStep(deps, record, vault);
    default:
      return { kind: "done" };
  }
}

/** How long until the intent should be looked at again (0 = now), and whether it has ended. */
export type DriveOutcome = { delayMs: number; isTerminal: boolean };

const MAX_STEPS_PER_CLAIM = 8;

/**
 * Drives a claimed intent through as many steps as it can take right now. Steps that only record
 * what happened are queued and written together (PendingSteps): with the next signed transaction,
 * before a step that reads what they wrote (tracking reads the attempts, unless the drive knows them: KnownAttempts),
 * when the drive ends, or on their own
 * once held `queuedStepMaxMs` (the next steps wait on the node or the signer's lane).
 * A lost race (someone else appended) is not an error: the intent is simply due again immediately.
 */
export async function driveIntent(
  deps: EngineDeps,
  claimed: IntentRecord,
  /** Read with the claim (`readDriveContexts`); unset: the steps read what they need themselves. */
  context?: DriveContext,
): Promise<DriveOutcome> {
  const drive: EngineDeps = {
    ...deps,
    ...(context === undefined ? {} : { context }),
    pending: new PendingSteps({
      writeAfterMs: deps.config.queuedStepMaxMs,
      write: (base, steps) => writeSteps(deps, base, steps),
    }),
    known: { at: null },
  };
  let record = claimed;
  let delayMs = 0;
  try {
    for (let step = 0; step < MAX_STEPS_PER_CLAIM; step++) {
      // Tracking reads the attempts: from the database, once the queue is written, unless this drive knows them.
      if (record.state === "EXECUTING" && knownAttempts(drive, record) === null)
        record = (await flush(drive)) ?? record;
      const result = await stepIntent(drive, record);
      if (result.kind === "wait") delayMs = result.delayMs;
      if (result.kind !== "moved") break;
      record = result.record;
      if (isTerminalState(record.state)) break;
    }
  } catch (error) {
    delayMs = failedStep(deps, record, error);
  }
  // What was queued before a failure is still true: write it, then back off as decided.
  try {
    const stored = (await flush(drive)) ?? record;
    return { delayMs, isTerminal: isTerminalState(stored.state) };
  } catch (error) {
    return { delayMs: failedStep(deps, record, error), isTerminal: false };
  }
}

function failedStep(deps: EngineDeps, record: IntentRecord, error: unknown): number {
  if (error instanceof StaleIntentError) return 0;
  deps.log.error("intent step failed; will retry", {
    intent_id: record.id,
    state: record.state,
    error: error instanceof Error ? error.message : String(error),
  });
  return deps.config.errorBackoffMs;
}
