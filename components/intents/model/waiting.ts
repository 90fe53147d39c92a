import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import type { Readiness } from "@/lib/defix/session-keys";
import { isEventOf, isTerminalState } from "@/lib/defix/states";
import { formatDuration } from "@/lib/format/duration";
import { shortHex } from "@/lib/format/hex";
import { stateOfEvent } from "./transitions";

export interface WaitingReason {
  /** One plain sentence: what the intent is waiting for right now. */
  text: string;
  /** When that wait started (the latest relevant event). */
  since: string;
  /** Where the fix is, when the user can do something about it. */
  cta: "canvas" | null;
}

const EXECUTING_EVIDENCE = ["INTENT_EXECUTING", "TX_BROADCAST", "TX_REPLACED", "TX_SIGNED", "TX_DROPPED"] as const;

function latest(events: readonly IntentEvent[], predicate: (event: IntentEvent) => boolean): IntentEvent | null {
  let found: IntentEvent | null = null;
  for (const event of events) if (predicate(event) && (!found || event.seq_num > found.seq_num)) found = event;
  return found;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * "Why is it still waiting?": derived from the state, the newest events and the vault's session-key
 * readiness. Null for terminal intents. `now` is passed in so the wording is testable.
 */
export function deriveWaiting(
  intent: Intent,
  events: readonly IntentEvent[],
  readiness: Readiness | null,
  now: number,
  headBlock: number | null = null,
): WaitingReason | null {
  if (isTerminalState(intent.state)) return null;
  const lastTransition = latest(events, (event) => stateOfEvent(event) !== null);
  const enteredSeq = lastTransition?.seq_num ?? 0;
  const since = intent.state_entered_at;
  const after = (event: IntentEvent) => event.seq_num > enteredSeq;

  const cancel = latest(events, (event) => event.message_type === "CANCEL_REQUESTED");
  if (cancel) {
    return {
      text: "Cancel requested: the OMS stops the intent before broadcast, or reports what the chain did if a transaction is already out.",
      since: cancel.created_at,
      cta: null,
    };
  }

  const sessionKeyWait = sessionKeyWaiting(intent, readiness, since);
  const waiting = latest(events, (event) => event.message_type === "WAITING" && after(event));
  if (waiting && isEventOf(waiting, "WAITING")) {
    const reason = text(waiting.payload.reason) ?? "";
    const message = text(waiting.payload.message) ?? reason;
    const isKeyWait = /SESSION_KEY|NO_KEY/.test(reason);
    return { text: `Waiting: ${message}`, since: waiting.created_at, cta: isKeyWait ? "canvas" : null };
  }
  if (sessionKeyWait) return sessionKeyWait;

  switch (intent.state) {
    case "RECEIVED":
      return {
        text: "Received: checking your role on the vault and the merkle proof against the on-chain root.",
        since,
        cta: null,
      };
    case "ACKED":
      return { text: "Authorized: waiting for a usable session key before staging.", since, cta: null };
    case "STAGED":
      return { text: "Queued for planning: sizing, building the hook calldata and simulating.", since, cta: null };
    case "PLANNED":
      return { text: "Planned: waiting to be signed with the session key and broadcast.", since, cta: null };
    case "EXECUTING":
      return executingWaiting(intent, events, now, headBlock);
    default:
      return null;
  }
}

function sessionKeyWaiting(intent: Intent, readiness: Readiness | null, since: string): WaitingReason | null {
  const isBeforeStaging = intent.state === "RECEIVED" || intent.state === "ACKED";
  if (!isBeforeStaging || !readiness || readiness.is_ready) return null;
  const why = readiness.reason ? ` (${readiness.reason.toLowerCase().replaceAll("_", " ")})` : "";
  return { text: `Waiting for a session key${why}: grant or renew it on the vault's canvas.`, since, cta: "canvas" };
}

function executingWaiting(
  intent: Intent,
  events: readonly IntentEvent[],
  now: number,
  headBlock: number | null,
): WaitingReason {
  const sent = latest(events, (event) => isEventOf(event, ...EXECUTING_EVIDENCE));
  const hash = (sent && isEventOf(sent, ...EXECUTING_EVIDENCE) ? text(sent.payload.tx_hash) : null) ?? intent.tx_hash;
  const since = sent?.created_at ?? intent.state_entered_at;
  const replacements = events.filter((event) => event.message_type === "TX_REPLACED").length;
  const mined = latest(events, (event) => event.message_type === "TX_MINED");
  if (mined) {
    return { text: "Mined: recording fills from the receipt.", since: mined.created_at, cta: null };
  }
  const waited = formatDuration(now - Date.parse(since));
  const replaced = replacements > 0 ? ` after ${replacements} fee bump${replacements > 1 ? "s" : ""}` : "";
  const subject = hash ? `transaction ${shortHex(hash)}` : "the transaction";
  const block = latest(events, (event) => typeof event.payload.block_number === "number")?.payload.block_number;
  const blocksSince = typeof block === "number" && headBlock !== null ? Math.max(0, headBlock - block) : null;
  const ago = blocksSince === null ? "" : ` (${blocksSince} block${blocksSince === 1 ? "" : "s"} ago)`;
  const sentAt = typeof block === "number" ? `, broadcast at block ${block}${ago},` : "";
  return { text: `Waiting for the receipt of ${subject}${sentAt}${replaced} for ${waited}.`, since, cta: null };
}
