import { isTerminalState } from "../../lib/defix";
import type { IntentRecord } from "../core/record";
import { StaleIntentError } from "../store/errors";
import { finish, type StepResult } from "./commit";
import type { EngineDeps } from "./deps";
import { executeStep } from "./execute";
import { ackStep, planStep, stageStep } from "./steps";
import { trackStep } from "./track";

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
      return trackStep(deps, record, vault);
    default:
      return { kind: "done" };
  }
}

/** How long until the intent should be looked at again; 0 = now. */
export type DriveOutcome = { delayMs: number };

const MAX_STEPS_PER_CLAIM = 8;

/**
 * Drives a claimed intent through as many steps as it can take right now. A lost race (someone
 * else appended) is not an error: the intent is simply due again immediately.
 */
export async function driveIntent(deps: EngineDeps, claimed: IntentRecord): Promise<DriveOutcome> {
  let record = claimed;
  try {
    for (let step = 0; step < MAX_STEPS_PER_CLAIM; step++) {
      const result = await stepIntent(deps, record);
      if (result.kind === "done") return { delayMs: 0 };
      if (result.kind === "wait") return { delayMs: result.delayMs };
      record = result.record;
      if (isTerminalState(record.state)) return { delayMs: 0 };
    }
    return { delayMs: 0 };
  } catch (error) {
    if (error instanceof StaleIntentError) return { delayMs: 0 };
    deps.log.error("intent step failed; will retry", {
      intent_id: record.id,
      state: record.state,
      error: error instanceof Error ? error.message : String(error),
    });
    return { delayMs: deps.config.errorBackoffMs };
  }
}
